from django.core.management.base import BaseCommand

from wagtail_support.mail.outbound import resend_failed, resend_stale
from wagtail_support.models import OutboundEmail
from wagtail_support.models.mail import OutboundStatus


class Command(BaseCommand):
    help = "Shows the help desk's mail that is not sent, and sends it again."

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="command", required=True)
        commands.add_parser("pending", help="List mail that is queued or failed.")
        resend = commands.add_parser(
            "resend", help="Send failed mail again, and queued mail whose delivery never started."
        )
        resend.add_argument("ids", nargs="*", type=int, help="Only these rows (all by default).")

    def handle(self, *args, command, **options):
        if command == "pending":
            return self.pending()
        ids = options["ids"] or None
        scheduled = resend_failed(ids) + ([] if ids else resend_stale())
        self.stdout.write(f"{len(scheduled)} e-mail(s) scheduled for sending.")

    def pending(self):
        rows = OutboundEmail.objects.filter(
            status__in=[OutboundStatus.QUEUED, OutboundStatus.FAILED]
        ).order_by("created_at", "pk")
        for row in rows:
            self.stdout.write(
                f"{row.pk}\t{row.status}\t{row.attempts}\t{', '.join(row.to)}\t{row.subject}"
                f"\t{row.error}"
            )
