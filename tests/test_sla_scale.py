"""The breach scan at scale: over a million open tickets it is one query, answered from the
partial index on the next check time (read from PostgreSQL's EXPLAIN, not timed)."""

import datetime as dt
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.utils import new_ticket
from wagtail_support.models import Ticket
from wagtail_support.sla import escalation

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

ROWS = 1_000_000
DUE_NOW = 25


def fill(template_pk, rows, due_now, now):
    """Copies one ticket ``rows`` times in SQL; ``due_now`` of them have a check due, the rest
    are due over the coming weeks, as a busy desk's would be."""
    columns = [f.column for f in Ticket._meta.concrete_fields if f.column not in ("id",)]
    values = {
        "number": "'SCALE-' || g",
        "sla_check_at": f"CASE WHEN g <= {due_now} THEN %(now)s - interval '1 minute' "
        "ELSE %(now)s + interval '1 hour' + (g || ' seconds')::interval END",
        "sla_due": "%(now)s + interval '2 hours' + (g || ' seconds')::interval",
    }
    select = ", ".join(values.get(c, f't."{c}"') for c in columns)
    quoted = ", ".join(f'"{c}"' for c in columns)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {Ticket._meta.db_table} ({quoted}) "
            f"SELECT {select} FROM {Ticket._meta.db_table} t, generate_series(1, %(rows)s) g "
            "WHERE t.id = %(template)s",
            {"rows": rows, "template": template_pk, "now": now},
        )
        cursor.execute(f"ANALYZE {Ticket._meta.db_table}")


def plan_nodes(plan):
    yield plan
    for child in plan.get("Plans", ()):
        yield from plan_nodes(child)


def test_the_scan_over_a_million_open_tickets_is_one_indexed_query():
    template = new_ticket(email="scale@example.com")
    now = timezone.now()
    fill(template.pk, ROWS, DUE_NOW, now)
    assert Ticket.objects.count() == ROWS + 1

    query = escalation.tickets_to_check(now).values_list("pk", flat=True)[: escalation.SCAN_BATCH]
    sql, params = query.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        raw = cursor.fetchone()[0]
    plan = (raw if isinstance(raw, list) else json.loads(raw))[0]["Plan"]
    nodes = list(plan_nodes(plan))
    kinds = {node["Node Type"] for node in nodes}
    assert "Seq Scan" not in kinds, kinds
    assert any(node.get("Index Name") == "ws_ticket_sla_check" for node in nodes), nodes

    with CaptureQueriesContext(connection) as captured:
        due = list(query)
    assert len(captured) == 1 and len(due) == DUE_NOW
    assert now - dt.timedelta(minutes=5) < Ticket.objects.get(pk=due[0]).sla_check_at <= now
