"""Storage per ticket (issue #12), the last cut: indexes nothing reads go (history and mail by
actor or message, the LIKE index of ticket numbers), and outbound Message-IDs are unique by a
16-byte digest. New history rows are stored compacted (``history.compacted()``); older rows stay
as written and ``history.entries()`` reads both."""

import django.db.models.functions.comparison
import django.db.models.functions.text
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("wagtail_support", "0026_inbox_state_rank"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="outboundemail",
            name="wagtail_support_outbound_message_id_once",
        ),
        migrations.RemoveIndex(
            model_name="outboundemail",
            name="ws_outbound_message",
        ),
        migrations.RemoveIndex(
            model_name="ticketevent",
            name="ws_event_actor",
        ),
        migrations.RemoveIndex(
            model_name="ticketevent",
            name="ws_event_message",
        ),
        migrations.AlterField(
            model_name="ticket",
            name="number",
            field=models.CharField(editable=False, max_length=30, verbose_name="number"),
        ),
        migrations.AddConstraint(
            model_name="outboundemail",
            constraint=models.UniqueConstraint(
                django.db.models.functions.comparison.Cast(
                    django.db.models.functions.text.MD5("email_message_id"), models.UUIDField()
                ),
                name="ws_outbound_message_id_once",
            ),
        ),
        migrations.AddConstraint(
            model_name="ticket",
            constraint=models.UniqueConstraint(fields=("number",), name="ws_ticket_number_once"),
        ),
    ]
