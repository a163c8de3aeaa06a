"""Similar tickets read a trigram GiST index on the subject's topic (the subject without reply
prefixes, bracketed references and words holding digits, ``similar.Topic``) instead of on the
subject itself: order and reference numbers made every near subject a distant one, and the
nearest-first scan read most of the index for them. The old index served nothing else. The
expression is written out here as it was when this ran; ``similar.TOPIC_PATTERN`` must stay equal
to it for the planner to match the index (PostgreSQL only; other databases have no such index).
"""

from django.db import migrations

TOPIC = (
    'regexp_replace("subject"::text, '
    "'^(\\s*((re|fwd?|aw|wg|sv|odp|pd)\\s*:|\\[[^]]*\\]))+|\\S*\\d\\S*', ' ', 'gi')"
)
SIGNATURE = "gist_trgm_ops(siglen=256)"


def use_topic(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f'CREATE INDEX IF NOT EXISTS "ws_ticket_topic_near" ON "wagtail_support_ticket" '
        f"USING gist (({TOPIC}) {SIGNATURE})"
    )
    schema_editor.execute('DROP INDEX IF EXISTS "ws_ticket_subject_near"')


def use_subject(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f'CREATE INDEX IF NOT EXISTS "ws_ticket_subject_near" ON "wagtail_support_ticket" '
        f'USING gist ("subject" {SIGNATURE})'
    )
    schema_editor.execute('DROP INDEX IF EXISTS "ws_ticket_topic_near"')


class Migration(migrations.Migration):
    dependencies = [("wagtail_support", "0024_inbound_rebuilt")]

    operations = [migrations.RunPython(use_topic, use_subject)]
