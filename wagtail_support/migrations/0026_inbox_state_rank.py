"""The inbox's sort by state, read from an index (PostgreSQL only; other databases sort by a CASE
over the state, admin/inbox.py).

Sorting 100,000 tickets by their state's ``sort_order`` joined (or as a CASE over ``state_id``)
reads and sorts every ticket to show 25. So each ticket holds ``state_rank``, its state's
``sort_order`` (0 when unset), with one index that serves both directions of the sort. Triggers keep it, as
0022's keep the search document: every writer of a ticket's state (intake, the workflow engine, a
data migration, a bulk COPY) then keeps it right without a statement of its own, and a state moved
in its workflow's order moves its tickets. Django never reads or writes the column.
"""

from django.db import migrations

INSTALL_SQL = r"""
ALTER TABLE wagtail_support_ticket ADD COLUMN state_rank integer NOT NULL DEFAULT 0;

CREATE FUNCTION ws_ticket_state_rank() RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
    NEW.state_rank := coalesce(
        (SELECT sort_order FROM wagtail_support_state WHERE id = NEW.state_id), 0
    );
    RETURN NEW;
END
$$;

CREATE FUNCTION ws_state_rank_moved() RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
    UPDATE wagtail_support_ticket SET state_rank = coalesce(NEW.sort_order, 0)
    WHERE state_id = NEW.id;
    RETURN NULL;
END
$$;

-- The state's trigger first: creating it waits for transactions moving states now, so each of
-- those is either in the ranks filled below or seen by the trigger.
CREATE TRIGGER ws_state_rank_update AFTER UPDATE ON wagtail_support_state
FOR EACH ROW WHEN (OLD.sort_order IS DISTINCT FROM NEW.sort_order)
EXECUTE FUNCTION ws_state_rank_moved();

CREATE TRIGGER ws_ticket_state_rank_insert BEFORE INSERT ON wagtail_support_ticket
FOR EACH ROW EXECUTE FUNCTION ws_ticket_state_rank();

-- Django's save() sets every column: the rank is looked up only when the state is another.
CREATE TRIGGER ws_ticket_state_rank_update BEFORE UPDATE ON wagtail_support_ticket
FOR EACH ROW WHEN (OLD.state_id IS DISTINCT FROM NEW.state_id)
EXECUTE FUNCTION ws_ticket_state_rank();

UPDATE wagtail_support_ticket t SET state_rank = s.sort_order
FROM wagtail_support_state s
WHERE s.id = t.state_id AND coalesce(s.sort_order, 0) <> 0;

-- One index for both directions: the descending sort is the ascending one read backwards.
CREATE INDEX ws_ticket_state_order
ON wagtail_support_ticket (state_rank, priority DESC, created_at);
"""

DROP_SQL = """
DROP TRIGGER IF EXISTS ws_ticket_state_rank_update ON wagtail_support_ticket;
DROP TRIGGER IF EXISTS ws_ticket_state_rank_insert ON wagtail_support_ticket;
DROP TRIGGER IF EXISTS ws_state_rank_update ON wagtail_support_state;
DROP FUNCTION IF EXISTS ws_state_rank_moved();
DROP FUNCTION IF EXISTS ws_ticket_state_rank();
ALTER TABLE wagtail_support_ticket DROP COLUMN IF EXISTS state_rank;
"""


def install(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(INSTALL_SQL, params=None)  # several statements


def uninstall(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_SQL, params=None)


class Migration(migrations.Migration):
    dependencies = [("wagtail_support", "0025_similar_topic")]

    operations = [migrations.RunPython(install, uninstall)]
