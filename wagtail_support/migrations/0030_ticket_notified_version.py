"""Recovery after a worker dies (issue #13, item 12): each ticket remembers the last version whose
notifications are planned, so a change whose ``notify_change`` task was lost is found by the
periodic sweep (mail/pending.py) instead of waiting for the broker to hand the task out again.

Every change made before this migration counts as planned: its task ran long ago, and planning
it again now would tell people of old changes with today's recipients."""

from django.db import migrations, models
from django.db.models import F


def all_planned(apps, schema_editor):
    Ticket = apps.get_model("wagtail_support", "Ticket")
    Ticket.objects.exclude(notified_version=F("version")).update(notified_version=F("version"))


class Migration(migrations.Migration):
    dependencies = [
        ("wagtail_support", "0029_ticket_trash"),
    ]

    operations = [
        migrations.AddField(
            model_name="ticket",
            name="notified_version",
            field=models.PositiveIntegerField(default=1, editable=False),
        ),
        migrations.RunPython(all_planned, migrations.RunPython.noop, elidable=True),
        migrations.AddIndex(
            model_name="ticket",
            index=models.Index(
                condition=models.Q(("version__gt", models.F("notified_version"))),
                fields=["updated_at"],
                name="ws_ticket_unnotified",
            ),
        ),
    ]
