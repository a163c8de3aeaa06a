from django.core.management.base import BaseCommand

from wagtail_support.mail import retention
from wagtail_support.sla import escalation


class Command(BaseCommand):
    help = (
        "Runs the help desk's periodic work once: SLA warnings and breach notices, the report of "
        "tickets nobody is responsible for, auto-close, and the purge of mail bodies past their "
        "keep time. For sites without celery beat: run it from cron every minute."
    )

    def handle(self, *args, **options):
        notices = escalation.scan()
        unattended = escalation.report_unattended()
        closed = escalation.auto_close()
        purged = retention.purge()
        self.stdout.write(
            f"SLA notices: {len(notices)}; unattended reported: {len(unattended)}; "
            f"auto-closed: {len(closed)}; mail bodies removed: {purged['sent_mail']} sent, "
            f"{purged['inbound_mail']} received, {purged['sent_html']} HTML parts"
        )
