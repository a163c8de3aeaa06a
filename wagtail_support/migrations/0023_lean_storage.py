"""Storage per ticket (issue #12): stored mail keeps only what cannot be derived; history and
outbound mail are indexed by ticket alone (one key per ticket with deduplication). Old history
rows stay as they were written: ``history.entries()`` reads both shapes."""

import django.db.models.deletion
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


def number_operations(apps, schema_editor):
    """Each ticket's operations numbered 1, 2, … in the order they were written: below any
    version the ticket reaches next, so new operations (named by the version) never meet them."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "UPDATE wagtail_support_ticketevent e SET operation_number = o.n FROM ("
            " SELECT ticket_id, operation,"
            " row_number() OVER (PARTITION BY ticket_id ORDER BY min(id)) AS n"
            " FROM wagtail_support_ticketevent WHERE operation IS NOT NULL"
            " GROUP BY ticket_id, operation) o"
            " WHERE e.ticket_id = o.ticket_id AND e.operation = o.operation"
        )
        return
    TicketEvent = apps.get_model("wagtail_support", "TicketEvent")
    numbers = {}
    rows = TicketEvent.objects.exclude(operation=None).order_by("ticket_id", "pk")
    for row in rows.only("ticket_id", "operation").iterator():
        known = numbers.setdefault(row.ticket_id, {})
        row.operation_number = known.setdefault(row.operation, len(known) + 1)
        row.save(update_fields=["operation_number"])


class Migration(migrations.Migration):
    dependencies = [
        ("wagtail_support", "0022_search_document"),
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
        migrations.AddField(
            model_name="ticketevent",
            name="operation_number",
            field=models.PositiveIntegerField(blank=True, null=True),
        ),
        migrations.RunPython(number_operations, migrations.RunPython.noop, elidable=True),
        migrations.RemoveField(model_name="ticketevent", name="operation"),
        migrations.RenameField(
            model_name="ticketevent", old_name="operation_number", new_name="operation"
        ),
        # Read marks and follows: their unique (ticket, user) index serves the ticket too.
        migrations.AlterField(
            model_name="follow",
            name="ticket",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="follows",
                to="wagtail_support.ticket",
            ),
        ),
        migrations.AlterField(
            model_name="readmark",
            name="ticket",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="read_marks",
                to="wagtail_support.ticket",
            ),
        ),
    ]
