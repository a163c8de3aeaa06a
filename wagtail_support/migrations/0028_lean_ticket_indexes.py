"""Storage per ticket (issue #12). The ticket's state, assignee and customer lose the index
Django makes for a foreign key: each is the first column of a wider index (ws_ticket_queue,
ws_ticket_assignee, ws_ticket_customer), which serves the same look-ups, the lists and the
PROTECT or SET NULL check when a state or a user is deleted (21 bytes a ticket). The messages'
unique Message-ID index leaves out the messages without one, most of them (67 bytes)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("wagtail_support", "0027_compact_storage"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="message",
            name="ws_message_email_id_once",
        ),
        migrations.AlterField(
            model_name="ticket",
            name="assignee",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="assigned_support_tickets",
                to=settings.AUTH_USER_MODEL,
                verbose_name="assignee",
            ),
        ),
        migrations.AlterField(
            model_name="ticket",
            name="customer",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="support_tickets",
                to=settings.AUTH_USER_MODEL,
                verbose_name="customer",
            ),
        ),
        migrations.AlterField(
            model_name="ticket",
            name="state",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="tickets",
                to="wagtail_support.state",
                verbose_name="state",
            ),
        ),
        migrations.AddConstraint(
            model_name="message",
            constraint=models.UniqueConstraint(
                condition=models.Q(("email_message_id__isnull", False)),
                fields=("email_message_id",),
                name="ws_message_email_id_once",
            ),
        ),
    ]
