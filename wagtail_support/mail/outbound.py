"""Queueing and sending one e-mail: the OutboundEmail row is written first (rendered message,
stable Message-ID, recipients, threading, whether it is automatic), then ``deliver()`` sends that
row through Django's mail API, so any anymail ESP or SMTP works.

Headers that follow from the ticket and the settings (From, Reply-To, the loop marker, the
automatic-mail headers, In-Reply-To as the last of References) are derived when the mail is built,
not stored: they are most of what a stored mail would otherwise weigh, and nothing reads them
afterwards.

A row is keyed by its Message-ID, which is derived from what caused the mail and who receives
it: queueing the same mail twice finds the first row, and delivering a row twice sends it once.
"""

import datetime
import hashlib
import io
from email import policy as email_policy
from email.generator import BytesGenerator
from email.message import Message as PlainMessage
from email.utils import formataddr, parseaddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.backends.smtp import EmailBackend as SMTPBackend
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from ..conf import support_settings
from ..models import Message, MessageKind, OutboundEmail, Ticket
from ..models.mail import OutboundStatus
from . import reply_files
from .addresses import reply_address
from .headers import AUTOMATIC_HEADERS, LOOP_HEADER, loop_marker, normalize_message_id

REPLY_TO = "Reply-To"
FROM = "From"


class DeliveryFailed(Exception):
    """The backend refused or failed to send; the row is marked failed and may be retried."""


def from_email():
    return support_settings.FROM_EMAIL or settings.DEFAULT_FROM_EMAIL


def _domain():
    address = parseaddr(from_email())[1]
    return address.rpartition("@")[2] or None


def stable_message_id(ticket, key, email):
    """The Message-ID of the mail ``key`` about ``ticket`` to ``email``: the same inputs always
    give the same id, and nobody can guess one without the secret key."""
    digest = hashlib.sha256(
        f"{settings.SECRET_KEY}:{ticket.pk}:{key}:{email.strip().lower()}".encode()
    ).hexdigest()[:24]
    domain = _domain() or "wagtail-support.invalid"
    return normalize_message_id(f"ws.{ticket.pk}.{digest}@{domain}")


def thread(ticket, customer_side, addresses=(), carried=None):
    """``(in_reply_to, references)`` for a new mail on ``ticket``.

    The thread is every Message-ID the ticket knows, in time order: messages that arrived by
    e-mail and mail we sent. The customer's side sees only its own thread (no notes, no mail sent
    to agents). References keep the first id and the latest ones, at most REFERENCES_LIMIT.
    """
    found = []
    received = Message.objects.filter(ticket=ticket, email_message_id__isnull=False)
    if customer_side:
        received = received.filter(kind=MessageKind.REPLY)
    for created, value in received.values_list("created_at", "email_message_id"):
        found.append((created, value))
    sent = OutboundEmail.objects.filter(ticket=ticket, status=OutboundStatus.SENT)
    if customer_side:
        sent = sent.filter(Q(message__isnull=True) | Q(message__kind=MessageKind.REPLY))
    wanted = {address.lower() for address in addresses}
    for created, value, to in sent.values_list("created_at", "email_message_id", "to"):
        if customer_side and not wanted.intersection(a.lower() for a in to):
            continue
        found.append((created, value))
    chain = [value for _, value in sorted(found, key=lambda item: item[0]) if value]
    if carried is not None and carried.email_message_id:
        # Answering a message that came by e-mail: reply to that very message.
        chain = [value for value in chain if value != carried.email_message_id]
        chain.append(carried.email_message_id)
    if not chain:
        return "", []
    limit = support_settings.REFERENCES_LIMIT
    references = chain if len(chain) <= limit else [chain[0], *chain[-(limit - 1) :]]
    return chain[-1], references


def queue(ticket, kind, addressee, rendered, *, key, message=None, automatic=True):
    """The OutboundEmail for this mail, created and queued unless it exists; ``(row, created)``.

    ``automatic``: the mail is the help desk's own doing (a confirmation, a notification), so it
    carries Auto-Submitted and X-Auto-Response-Suppress and no autoresponder answers it; a string
    is the Auto-Submitted value ("auto-replied" for a confirmation, which answers a message).
    """
    message_id = stable_message_id(ticket, key, addressee.email)
    existing = OutboundEmail.objects.with_message_ids(message_id).first()
    if existing is not None:
        return existing, False
    _in_reply_to, references = thread(
        ticket, addressee.customer_side, [addressee.email], carried=message
    )
    if automatic is True:
        automatic = AUTOMATIC_HEADERS["Auto-Submitted"]
    row = OutboundEmail(
        ticket=ticket,
        message=message,
        kind=kind,
        email_message_id=message_id,
        references=" ".join(references),
        to=[addressee.email],
        subject=rendered.subject,
        body=rendered.text,
        html=rendered.html,
        auto_submitted=automatic or "",
        language=rendered.language,
    )
    try:
        with transaction.atomic():
            row.save()
    except IntegrityError:
        # The same mail queued at the same moment by another worker.
        return OutboundEmail.objects.with_message_ids(message_id).get(), False
    return row, True


def record_skipped(ticket, kind, addressee, *, key, reason, subject=""):
    """Writes down a mail that was deliberately not sent, and why; None when it is known."""
    message_id = stable_message_id(ticket, key, addressee.email)
    row, created = OutboundEmail.objects.with_message_ids(message_id).get_or_create(
        email_message_id=message_id,
        defaults={
            "ticket": ticket,
            "kind": kind,
            "to": [addressee.email],
            "subject": subject[:255],
            "status": OutboundStatus.SKIPPED,
            "error": reason,
        },
    )
    return row if created else None


def _from_header(ticket):
    """The From address with the site's brand as its display name unless it has one."""
    from .context import brand

    name, address = parseaddr(from_email())
    return formataddr((name or brand(ticket), address)) if address else from_email()


def headers_for(row, ticket):
    """The headers of ``row`` that are not stored: they follow from its ticket and the settings."""
    headers = {FROM: _from_header(ticket), LOOP_HEADER: loop_marker()}
    reply_to = reply_address(ticket.pk, parseaddr(from_email())[1])
    if reply_to:
        headers[REPLY_TO] = reply_to
    if row.auto_submitted:
        headers.update(AUTOMATIC_HEADERS)
        headers["Auto-Submitted"] = row.auto_submitted
    return headers


def build(row, ticket=None):
    """The EmailMultiAlternatives that sends ``row`` as it was queued."""
    if ticket is None:
        ticket = Ticket.objects.select_related("source__site").get(pk=row.ticket_id)
    headers = headers_for(row, ticket)
    sender = headers.pop(FROM)
    reply_to = headers.pop(REPLY_TO, None)
    headers["Message-ID"] = f"<{row.email_message_id}>"
    if row.references:
        headers["In-Reply-To"] = f"<{row.in_reply_to}>"
        headers["References"] = " ".join(f"<{value}>" for value in row.references.split())
    if row.language:
        headers["Content-Language"] = row.language
    email = EmailMultiAlternatives(
        subject=row.subject,
        body=row.body,
        from_email=sender,
        to=list(row.to),
        cc=list(row.cc or []),
        reply_to=[reply_to] if reply_to else None,
        headers=headers,
    )
    if row.html:
        email.attach_alternative(row.html, "text/html")
    reply_files.attach(email, row, ticket)
    return email


def send(email):
    """Sends ``email`` through the site's backend; through SMTP with SMTPUTF8 (RFC 6531) when an
    address has a non-ASCII local part (``пётр@пример.рф``). Django's SMTP backend cannot send
    to one: Django 6 refuses it, 5.2 writes the local part as an encoded word, which is another
    address. Non-ASCII domains alone need nothing: Django writes them as IDNA."""
    connection = _default_connection()
    if not (isinstance(connection, SMTPBackend) and _has_unicode_local_part(email)):
        return email.send()
    message = email.message()
    # Django wrote the address headers for an ASCII-only server (5.2's MIME classes even rewrite
    # them when set); SMTPUTF8 carries them as typed, so they are set past Django's classes.
    for header, addresses in (("To", email.to), ("Cc", email.cc)):
        del message[header]
        if addresses:
            PlainMessage.__setitem__(message, header, ", ".join(addresses))
    data = io.BytesIO()
    BytesGenerator(data, policy=email_policy.SMTPUTF8).flatten(message)
    sender = parseaddr(email.from_email)[1]
    recipients = [parseaddr(address)[1] for address in email.recipients()]
    opened = connection.open()
    try:
        # smtplib refuses (SMTPNotSupportedError) a server that does not offer SMTPUTF8.
        connection.connection.sendmail(
            sender, recipients, data.getvalue(), mail_options=["SMTPUTF8", "BODY=8BITMIME"]
        )
    finally:
        if opened:
            connection.close()
    return 1


def _default_connection():
    """The site's default mail backend: Django 6.1's default mailer, or get_connection() before
    (``build`` never sets a connection of its own)."""
    from django.core import mail

    mailers = getattr(mail, "mailers", None)
    return mailers.default if mailers is not None else get_connection()


def _has_unicode_local_part(email):
    addresses = [email.from_email, *email.recipients()]
    return any(not parseaddr(address)[1].rpartition("@")[0].isascii() for address in addresses)


def deliver(outbound_id):
    """Sends the queued row once: a row already sent (or skipped) is left alone, also when two
    workers get it at the same time (the row stays locked while it is sent).

    A worker lost mid-send rolls the row back to queued, so it is sent later, not never. The one
    gap no mail API can close is a loss after the backend accepted the mail and before the
    commit: that mail goes out twice. Sending inside the lock keeps that gap to one UPDATE and
    COMMIT; marking the row "sending" first would widen it to the whole send, or lose the mail."""
    failure = None
    with transaction.atomic():
        row = OutboundEmail.objects.select_for_update().filter(pk=outbound_id).first()
        if row is None or row.status in (OutboundStatus.SENT, OutboundStatus.SKIPPED):
            return row
        row.attempts += 1
        try:
            send(build(row))
        except Exception as error:  # any backend's error: recorded, then retried by the task
            row.status = OutboundStatus.FAILED
            row.error = f"{type(error).__name__}: {error}"[:2000]
            failure = error
        else:
            row.status = OutboundStatus.SENT
            row.sent_at = timezone.now()
            row.error = ""
        row.save(update_fields=["status", "attempts", "error", "sent_at"])
    if failure is not None:
        raise DeliveryFailed(row.error) from failure
    return row


def resend_stale(minutes=10, limit=500):
    """Schedules delivery of rows still queued ``minutes`` after they were made: their delivery
    never started (the broker was unreachable when it was scheduled, a worker was lost). Run it
    periodically (celery beat); a row sent meanwhile is not sent again. The ids scheduled."""
    from .. import jobs, tasks

    cutoff = timezone.now() - datetime.timedelta(minutes=minutes)
    stale = OutboundEmail.objects.filter(status=OutboundStatus.QUEUED, created_at__lt=cutoff)
    ids = list(stale.order_by("created_at", "pk").values_list("pk", flat=True)[:limit])
    for outbound_id in ids:
        jobs.enqueue(tasks.deliver_email, outbound_id)
    return ids


def resend_failed(ids=None):
    """Schedules another attempt for mail that stayed failed after its retries (all of it, or the
    rows ``ids``), e.g. once the ESP works again. The ids scheduled."""
    from .. import jobs, tasks

    failed = OutboundEmail.objects.filter(status=OutboundStatus.FAILED)
    if ids is not None:
        failed = failed.filter(pk__in=ids)
    scheduled = list(failed.order_by("created_at", "pk").values_list("pk", flat=True))
    for outbound_id in scheduled:
        jobs.enqueue(tasks.deliver_email, outbound_id)
    return scheduled
