"""The inbox's full-text search document (PostgreSQL only; other databases search without it).

Each ticket holds ``search_document``, a ``tsvector`` of its subject, the customer's name and the
text of every message (internal notes included: only agents search), with a GIN index. Triggers
keep it: a new ticket gets its own, each INSERT of messages appends theirs to their tickets in one
UPDATE per statement (a COPY of many messages included), and a changed subject or name, a changed
or deleted message rebuild it. Triggers, not the app, because every writer of those rows (intake,
the workflow engine, the admin, a data migration, a bulk COPY) then keeps it right, without a
statement of its own; Django never reads or writes the column, so a ticket saved from a stale copy
cannot put an older document back.

The document is stripped of positions (words in any order match, and it is a third smaller); the
text of one statement's messages counts up to 200,000 characters per ticket, which keeps every
document under the 1 MB a ``tsvector`` may hold, and a document that would grow past it keeps what
it has. The 'simple' configuration lower-cases words without stemming them, so desks in any
language are searched alike.

It replaces the trigram indexes on message text and subjects (0020), which only search used.
"""

from django.db import migrations


# left(): 200,000 characters are at most 800,000 bytes, under a tsvector's 1 MB of words.
INSTALL_SQL = r"""
ALTER TABLE wagtail_support_ticket ADD COLUMN search_document tsvector NOT NULL DEFAULT '';

CREATE FUNCTION ws_search_words(body text) RETURNS tsvector
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT strip(to_tsvector('simple'::regconfig, left(coalesce(body, ''), 200000))) $$;

-- A document that would pass a tsvector's limit keeps what it has.
CREATE FUNCTION ws_search_merge(document tsvector, more tsvector) RETURNS tsvector
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
AS $$
BEGIN
    RETURN document || more;
EXCEPTION WHEN program_limit_exceeded THEN
    RETURN document;
END
$$;

CREATE FUNCTION ws_ticket_document(ticket bigint, subject text, customer_name text)
RETURNS tsvector
LANGUAGE sql STABLE
AS $$
    SELECT ws_search_merge(
        ws_search_words(subject || ' ' || customer_name),
        ws_search_words((
            SELECT string_agg(m.text, E'\n' ORDER BY m.created_at, m.id)
            FROM wagtail_support_message m WHERE m.ticket_id = ticket
        ))
    )
$$;

-- On INSERT too: messages written before their ticket in one transaction (the foreign key is
-- checked at commit, as a bulk COPY may do) are in the document from the start.
CREATE FUNCTION ws_ticket_search_document() RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
    NEW.search_document := ws_ticket_document(NEW.id, NEW.subject, NEW.customer_name);
    RETURN NEW;
END
$$;

CREATE FUNCTION ws_message_search_added() RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
    UPDATE wagtail_support_ticket t
    SET search_document = ws_search_merge(t.search_document, ws_search_words(added.text))
    FROM (
        SELECT ticket_id, string_agg(text, E'\n' ORDER BY created_at, id) AS text
        FROM added_messages GROUP BY ticket_id
    ) added
    WHERE t.id = added.ticket_id;
    RETURN NULL;
END
$$;

CREATE FUNCTION ws_message_search_rebuilt() RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        UPDATE wagtail_support_ticket t
        SET search_document = ws_ticket_document(t.id, t.subject, t.customer_name)
        WHERE t.id IN (SELECT ticket_id FROM removed_messages);
    ELSE
        UPDATE wagtail_support_ticket t
        SET search_document = ws_ticket_document(t.id, t.subject, t.customer_name)
        WHERE t.id IN (OLD.ticket_id, NEW.ticket_id);
    END IF;
    RETURN NULL;
END
$$;

-- The message triggers first: creating them waits for transactions that are adding messages
-- now, so each of those is either in the documents filled below or seen by the trigger.
CREATE TRIGGER ws_message_search_insert AFTER INSERT ON wagtail_support_message
REFERENCING NEW TABLE AS added_messages
FOR EACH STATEMENT EXECUTE FUNCTION ws_message_search_added();

CREATE TRIGGER ws_message_search_update AFTER UPDATE ON wagtail_support_message
FOR EACH ROW
WHEN (OLD.text IS DISTINCT FROM NEW.text OR OLD.ticket_id IS DISTINCT FROM NEW.ticket_id)
EXECUTE FUNCTION ws_message_search_rebuilt();

CREATE TRIGGER ws_message_search_delete AFTER DELETE ON wagtail_support_message
REFERENCING OLD TABLE AS removed_messages
FOR EACH STATEMENT EXECUTE FUNCTION ws_message_search_rebuilt();

CREATE TRIGGER ws_ticket_search_insert BEFORE INSERT ON wagtail_support_ticket
FOR EACH ROW EXECUTE FUNCTION ws_ticket_search_document();

CREATE TRIGGER ws_ticket_search_update BEFORE UPDATE ON wagtail_support_ticket
FOR EACH ROW
WHEN (OLD.subject IS DISTINCT FROM NEW.subject
      OR OLD.customer_name IS DISTINCT FROM NEW.customer_name)
EXECUTE FUNCTION ws_ticket_search_document();

-- Existing tickets in one UPDATE from their messages, aggregated once.
UPDATE wagtail_support_ticket t
SET search_document = ws_search_merge(
    ws_search_words(t.subject || ' ' || t.customer_name), ws_search_words(m.text)
)
FROM (
    SELECT ticket.id, string_agg(message.text, E'\n' ORDER BY message.created_at, message.id) AS text
    FROM wagtail_support_ticket ticket
    LEFT JOIN wagtail_support_message message ON message.ticket_id = ticket.id
    GROUP BY ticket.id
) m
WHERE m.id = t.id;

CREATE INDEX ws_ticket_search ON wagtail_support_ticket USING gin (search_document);
"""

DROP_SQL = """
DROP TRIGGER IF EXISTS ws_ticket_search_update ON wagtail_support_ticket;
DROP TRIGGER IF EXISTS ws_ticket_search_insert ON wagtail_support_ticket;
DROP TRIGGER IF EXISTS ws_message_search_delete ON wagtail_support_message;
DROP TRIGGER IF EXISTS ws_message_search_update ON wagtail_support_message;
DROP TRIGGER IF EXISTS ws_message_search_insert ON wagtail_support_message;
DROP FUNCTION IF EXISTS ws_message_search_rebuilt();
DROP FUNCTION IF EXISTS ws_message_search_added();
DROP FUNCTION IF EXISTS ws_ticket_search_document();
DROP FUNCTION IF EXISTS ws_ticket_document(bigint, text, text);
DROP FUNCTION IF EXISTS ws_search_merge(tsvector, tsvector);
DROP FUNCTION IF EXISTS ws_search_words(text);
ALTER TABLE wagtail_support_ticket DROP COLUMN IF EXISTS search_document;
"""

# Restored when the migration is reversed: 0020's definitions.
TRIGRAM_INDEXES = {
    "ws_ticket_subject_search": ("wagtail_support_ticket", '(UPPER("subject"::text)) gin_trgm_ops'),
    "ws_message_text_search": ("wagtail_support_message", '(UPPER("text"::text)) gin_trgm_ops'),
}


def install(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(INSTALL_SQL, params=None)  # several statements
    for name in TRIGRAM_INDEXES:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


def uninstall(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(DROP_SQL, params=None)
    for name, (table, expression) in TRIGRAM_INDEXES.items():
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" USING gin ({expression})'
        )


class Migration(migrations.Migration):
    dependencies = [("wagtail_support", "0021_lean_indexes")]

    operations = [migrations.RunPython(install, uninstall)]
