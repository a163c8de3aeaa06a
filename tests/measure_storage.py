"""What one ticket life (tests/ticket_life.py) leaves in each table on PostgreSQL: rows and bytes
per ticket, with indexes and TOAST, after VACUUM FULL (as a long-lived, vacuumed database holds
it). Run it against a PostgreSQL server:

    WAGTAIL_SUPPORT_TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/storedb \
        python -m tests.measure_storage [lives] [--purge | --html-only]

``--purge`` runs the retention purge as if every mail were past its keep time, to show what a
year-old desk holds; ``--html-only`` as if only the HTML parts were (mail a few weeks old).
Prints JSON; creates and drops test_<db>.
"""

import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")

import django

django.setup()

from django.apps import apps  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import (  # noqa: E402
    override_settings,
    setup_databases,
    setup_test_environment,
    teardown_databases,
)


def tables():
    return [m._meta.db_table for m in apps.get_app_config("wagtail_support").get_models()] + [
        "wagtailcore_referenceindex"
    ]


def snapshot():
    with connection.cursor() as cursor:
        cursor.execute("VACUUM FULL ANALYZE")
        figures = {}
        for table in tables():
            cursor.execute(
                f"SELECT count(*), pg_relation_size(%s), pg_indexes_size(%s),"
                f" pg_total_relation_size(%s), coalesce(sum(pg_column_size(t.*)), 0)"
                f" FROM {table} t",
                [table] * 3,
            )
            rows, heap, indexes, total, data = cursor.fetchone()
            figures[table] = {
                "rows": rows,
                "heap": heap,
                "indexes": indexes,
                "total": total,
                "data": int(data),
            }
        return figures


def index_sizes(table):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexrelid::regclass::text, pg_relation_size(indexrelid) FROM pg_index"
            " WHERE indrelid = %s::regclass ORDER BY 2 DESC",
            [table],
        )
        return dict(cursor.fetchall())


def column_sizes(table, columns):
    with connection.cursor() as cursor:
        parts = ", ".join(f"coalesce(avg(pg_column_size({c})), 0)" for c in columns)
        cursor.execute(f"SELECT {parts} FROM {table}")
        return {c: round(float(v), 1) for c, v in zip(columns, cursor.fetchone(), strict=True)}


def main():
    from tests.mail_backends import TEST_BACKEND
    from tests.sla_utils import Clock, warsaw
    from tests.ticket_life import live, setup_desk

    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    lives = int(args[0]) if args else 100
    purge = "--purge" in sys.argv
    html_only = "--html-only" in sys.argv
    setup_test_environment()
    names = setup_databases(verbosity=0, interactive=False)
    try:
        from django.utils import timezone

        from sandbox.settings.env import mail_settings

        clock = Clock(warsaw("2026-01-05 09:00"))
        timezone.now = clock
        with override_settings(**mail_settings(TEST_BACKEND)):
            agents = setup_desk()
            before = snapshot()
            for n in range(lives):
                # 30 % of lives get an internal note instead of the customer's reply.
                live(clock, n, note=n % 10 < 3, agents=agents)
                clock.advance(minutes=17)
            if purge or html_only:
                from wagtail_support.mail import retention

                clock.advance(days=400)
                keep_text = {"WAGTAIL_SUPPORT_SENT_MAIL_BODY_DAYS": None} if html_only else {}
                with override_settings(**keep_text):
                    retention.purge()
            after = snapshot()
        result = {}
        for table in tables():
            delta = {k: after[table][k] - before[table][k] for k in after[table]}
            if any(delta.values()):
                result[table] = {k: round(v / lives, 1) for k, v in delta.items()}
        total = sum(v["total"] for v in result.values())
        from django.db.models import Count

        from wagtail_support.models import OutboundEmail, TicketEvent

        report = {
            "lives": lives,
            "outbound_per_ticket": {
                row["kind"]: row["n"] / lives
                for row in OutboundEmail.objects.values("kind").annotate(n=Count("pk"))
            },
            "events_per_ticket": {
                row["kind"]: row["n"] / lives
                for row in TicketEvent.objects.values("kind").annotate(n=Count("pk"))
            },
            "purged": "html" if html_only else purge,
            "bytes_per_ticket": round(total),
            "tables": result,
            "indexes": {
                t: index_sizes(t)
                for t in ("wagtail_support_ticketevent", "wagtail_support_outboundemail")
            },
            "columns": {
                "wagtail_support_ticketevent": column_sizes(
                    "wagtail_support_ticketevent",
                    ["data", "kind", "operation", "actor_email", "created_at"],
                ),
                "wagtail_support_outboundemail": column_sizes(
                    "wagtail_support_outboundemail",
                    ["body", "html", "auto_submitted", '"references"', "subject", '"to"'],
                ),
            },
        }
        print(json.dumps(report, indent=1))
    finally:
        teardown_databases(names, verbosity=0)


if __name__ == "__main__":
    main()
