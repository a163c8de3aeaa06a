from django.core.management.base import BaseCommand

from wagtail_support.sla import escalation


class Command(BaseCommand):
    help = (
        "Runs the help desk's periodic work once: SLA warnings and breach notices, the report of "
        "tickets nobody is responsible for, and auto-close. For sites without celery beat: run it "
        "from cron every minute."
    )

    def handle(self, *args, **options):
        notices = escalation.scan()
        unattended = escalation.report_unattended()
        closed = escalation.auto_close()
        self.stdout.write(
            f"SLA notices: {len(notices)}; unattended reported: {len(unattended)}; "
            f"auto-closed: {len(closed)}"
        )
