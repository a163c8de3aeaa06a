"""Feeds raw e-mail into the inbound pipeline: from standard input (a mail server's pipe, the
sandbox) or from .eml files. Each message is stored first, then processed here and now."""

import sys

from django.core.management.base import BaseCommand, CommandError

from wagtail_support.mail import inbound
from wagtail_support.models import InboundChannel, Source


class Command(BaseCommand):
    help = "Receive raw e-mail messages (RFC 5322) from files or standard input."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="*", help="Message files; none: read standard input.")
        parser.add_argument("--source", help="Slug of the e-mail source the mail arrived at.")

    def handle(self, *args, files, source=None, **options):
        source_obj = None
        if source:
            source_obj = Source.objects.filter(slug=source).first()
            if source_obj is None:
                raise CommandError(f"No source with the slug {source!r}.")
        raws = []
        for path in files:
            try:
                with open(path, "rb") as handle:
                    raws.append(handle.read())
            except OSError as exc:
                raise CommandError(f"{path}: {exc.strerror}") from exc
        if not files:
            raws.append(sys.stdin.buffer.read())
        failed = 0
        for raw in raws:
            if not raw.strip():
                raise CommandError("The message is empty.")
            stored = inbound.store(raw, channel=InboundChannel.COMMAND, source=source_obj)
            result = inbound.process(stored.pk)
            ticket = result.ticket.number if result.ticket_id else "-"
            self.stdout.write(f"{result.pk} {result.status} {ticket} {result.reason}".rstrip())
            failed += result.status == "failed"
        if failed:
            raise CommandError(f"{failed} message(s) failed; see the admin's inbound e-mail list.")
