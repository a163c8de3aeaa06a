"""Storage per ticket (issue #12): stored mail keeps only what cannot be derived; history and
outbound mail are indexed by ticket alone (one key per ticket with deduplication). Old history
rows stay as they were written: ``history.entries()`` reads both shapes."""

from django.db import migrations, models


def keep_auto_submitted(apps, schema_editor):
    """The one header a stored mail cannot derive: whether it was the help desk's own doing."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "UPDATE wagtail_support_outboundemail"
            " SET auto_submitted = headers ->> 'Auto-Submitted'"
            " WHERE headers ? 'Auto-Submitted'"
        )
        return
    OutboundEmail = apps.get_model("wagtail_support", "OutboundEmail")
    rows = OutboundEmail.objects.filter(headers__has_key="Auto-Submitted").only("headers")
    for row in rows.iterator():
        row.auto_submitted = row.headers["Auto-Submitted"][:14]
        row.save(update_fields=["auto_submitted"])


class Migration(migrations.Migration):
    dependencies = [
        ("wagtail_support", "0021_lean_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="outboundemail",
            name="auto_submitted",
            field=models.CharField(
                blank=True,
                help_text="Empty for a person's answer, else the mail is the help desk's own doing.",
                max_length=14,
                verbose_name="Auto-Submitted",
            ),
        ),
        migrations.RunPython(keep_auto_submitted, migrations.RunPython.noop, elidable=True),
        migrations.RemoveField(model_name="outboundemail", name="headers"),
        migrations.RemoveField(model_name="outboundemail", name="in_reply_to"),
        migrations.RemoveIndex(model_name="outboundemail", name="ws_outbound_ticket"),
        migrations.AddIndex(
            model_name="outboundemail",
            index=models.Index(fields=["ticket"], name="ws_outbound_ticket"),
        ),
        migrations.RemoveIndex(model_name="ticketevent", name="ws_event_ticket"),
        migrations.AddIndex(
            model_name="ticketevent",
            index=models.Index(fields=["ticket"], name="ws_event_ticket"),
        ),
    ]
