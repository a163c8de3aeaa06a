"""Indexes for the desk on a large help desk: trigram indexes for similar tickets and inbox
search and the reversed at-risk order (PostgreSQL only; other databases work without them), and
b-tree indexes for the inbox's other sortable columns and its count."""

from django.db import migrations, models

# name -> (table, method, expression). The search expressions are exactly what Django writes for
# ``icontains`` on PostgreSQL, UPPER(column::text), so the planner matches them to the index.
POSTGRESQL_INDEXES = {
    # A wider signature than the default 12 bytes: a subject has some 30 trigrams, which would
    # fill a small one, and the nearest-first scan would then visit far more of the index.
    "ws_ticket_subject_near": (
        "wagtail_support_ticket",
        "gist",
        "subject gist_trgm_ops(siglen=256)",
    ),
    "ws_ticket_subject_search": (
        "wagtail_support_ticket",
        "gin",
        '(UPPER("subject"::text)) gin_trgm_ops',
    ),
    "ws_ticket_email_search": (
        "wagtail_support_ticket",
        "gin",
        '(UPPER("customer_email"::text)) gin_trgm_ops',
    ),
    "ws_ticket_name_search": (
        "wagtail_support_ticket",
        "gin",
        '(UPPER("customer_name"::text)) gin_trgm_ops',
    ),
    "ws_message_text_search": (
        "wagtail_support_message",
        "gin",
        '(UPPER("text"::text)) gin_trgm_ops',
    ),
    # The at-risk order reversed: latest due first, still no clock last. SQLite cannot index
    # NULLS LAST, so this one is PostgreSQL's too.
    "ws_ticket_due_last_order": (
        "wagtail_support_ticket",
        "btree",
        '"sla_due" DESC NULLS LAST, "priority" DESC, "created_at"',
    ),
}


def create_postgresql_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, (table, method, expression) in POSTGRESQL_INDEXES.items():
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" USING {method} ({expression})'
        )


def drop_postgresql_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in POSTGRESQL_INDEXES:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


class Migration(migrations.Migration):
    dependencies = [("wagtail_support", "0019_retention")]

    operations = [
        migrations.RunPython(create_postgresql_indexes, drop_postgresql_indexes),
        migrations.AddIndex(
            model_name="ticket",
            index=models.Index(fields=["created_at"], name="ws_ticket_created"),
        ),
        migrations.AddIndex(
            model_name="ticket",
            index=models.Index(fields=["last_activity_at"], name="ws_ticket_activity"),
        ),
        migrations.AddIndex(
            model_name="ticket",
            index=models.Index(fields=["subject"], name="ws_ticket_subject"),
        ),
        migrations.AddIndex(
            model_name="ticket",
            index=models.Index(
                condition=models.Q(deleted_at__isnull=True),
                fields=["state", "is_spam", "assignee", "assigned_group"],
                name="ws_ticket_live",
            ),
        ),
    ]
