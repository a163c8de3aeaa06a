"""How long mail bodies stay in the database (WAGTAIL_SUPPORT_SENT_MAIL_BODY_DAYS,
WAGTAIL_SUPPORT_SENT_MAIL_HTML_DAYS, WAGTAIL_SUPPORT_INBOUND_RAW_DAYS): past that the periodic
purge empties the text and HTML of sent mail (the HTML sooner) and the raw copy of incoming mail,
and stamps the row so the admin can say why it is empty.

Everything that links mail to tickets stays: Message-IDs (a reply's In-Reply-To still finds its
ticket), recipients, subject, headers, the ticket and the message. The ticket's messages are the
conversation itself and are never purged.

Work is done in small batches, each in its own short transaction, so the purge never holds many
row locks or one long transaction on a busy desk.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from ..conf import support_settings
from ..models import InboundEmail, InboundStatus, OutboundEmail, OutboundStatus

BATCH = 500
# Only mail that is finished with: failed, quarantined or waiting mail may still be processed
# again, and that needs its raw copy.
PURGED_INBOUND = (InboundStatus.PROCESSED, InboundStatus.DUPLICATE, InboundStatus.DROPPED)


def cutoff(days, now):
    return None if days is None else now - datetime.timedelta(days=days)


def purge(now=None, batch=BATCH):
    """Purges what is past its keep time; returns the rows changed:
    ``{"sent_mail": n, "sent_html": n, "inbound_mail": n}``."""
    now = now or timezone.now()
    return {
        "sent_mail": purge_sent_mail(now, batch),
        "sent_html": purge_sent_html(now, batch),
        "inbound_mail": purge_inbound_mail(now, batch),
    }


def purge_sent_html(now=None, batch=BATCH):
    """The HTML alternative goes before the text: it is the text again, in the site's layout,
    and half of what a stored mail weighs. Not stamped: the text still shows what was sent."""
    now = now or timezone.now()
    days = support_settings.SENT_MAIL_HTML_DAYS
    before = cutoff(days, now)
    if before is None:
        return 0
    due = (
        OutboundEmail.objects.filter(status=OutboundStatus.SENT, sent_at__lt=before)
        .exclude(html="")
        .order_by("sent_at")
    )
    return _in_batches(due, batch, {"html": ""}, None, now)


def purge_sent_mail(now=None, batch=BATCH):
    now = now or timezone.now()
    before = cutoff(support_settings.SENT_MAIL_BODY_DAYS, now)
    if before is None:
        return 0
    # Served by the partial index ws_outbound_to_purge; queued and failed mail keeps its body,
    # a retry must send it.
    due = OutboundEmail.objects.filter(
        status=OutboundStatus.SENT, body_purged_at__isnull=True, sent_at__lt=before
    ).order_by("sent_at")
    return _in_batches(due, batch, {"body": "", "html": ""}, "body_purged_at", now)


def purge_inbound_mail(now=None, batch=BATCH):
    now = now or timezone.now()
    before = cutoff(support_settings.INBOUND_RAW_DAYS, now)
    if before is None:
        return 0
    due = InboundEmail.objects.filter(
        status__in=PURGED_INBOUND, raw_purged_at__isnull=True, received_at__lt=before
    ).order_by("received_at")
    return _in_batches(due, batch, {"raw": b""}, "raw_purged_at", now)


def _in_batches(due, batch, emptied, stamp, now):
    done = 0
    while True:
        with transaction.atomic():
            # skip_locked: a row someone holds (a delivery, a reprocessing) waits for the next run.
            ids = list(due.select_for_update(skip_locked=True).values_list("pk", flat=True)[:batch])
            if ids:
                stamped = {stamp: now} if stamp else {}
                due.model.objects.filter(pk__in=ids).update(**emptied, **stamped)
        done += len(ids)
        if len(ids) < batch:
            return done
