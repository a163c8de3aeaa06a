"""The one pipeline for incoming e-mail, whatever brought it (an ESP's webhook, an IMAP mailbox,
the management command): ``accept()`` stores the raw message and schedules ``process()``, which
parses, filters, threads and hands the message to ``intake.receive()``.

The raw copy is committed before any other step, so a crash, a bug or a database hiccup later on
loses nothing: the row stays "received" or "failed" and can be processed again.
"""

import contextlib
import logging
import traceback
from datetime import timedelta
from email.parser import BytesHeaderParser
from email.policy import compat32

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, InterfaceError, OperationalError, transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext as _

from .. import intake, jobs, signals
from ..attachments import SNIFF_BYTES, type_refusal
from ..conf import support_settings
from ..models import (
    BlockedSender,
    Channel,
    InboundEmail,
    InboundStatus,
    Message,
    MessageKind,
    Participant,
    Source,
    SourceKind,
)
from ..workflows.changes import TicketChange
from ..workflows.engine import lock
from . import autoreply, inbound_reads, threads
from .headers import normalize_message_id
from .parse import decode_header, parse, sender_summary, synthetic_message_id
from .quotes import split_reply

logger = logging.getLogger(__name__)

# Errors of the database itself (a lost connection, a deadlock): processing is retried.
TRANSIENT = (OperationalError, InterfaceError)


def accept(raw, *, channel, source=None, esp="", envelope_recipient="", rebuilt=False):
    """Stores ``raw`` (bytes) and schedules its processing; returns the stored InboundEmail."""
    inbound = store(
        raw,
        channel=channel,
        source=source,
        esp=esp,
        envelope_recipient=envelope_recipient,
        rebuilt=rebuilt,
    )
    from .. import tasks

    jobs.enqueue(tasks.process_inbound, inbound.pk)
    return inbound


def store(raw, *, channel, source=None, esp="", envelope_recipient="", rebuilt=False):
    """The raw copy, committed on its own. Only the cheapest header read happens here: nothing
    that could fail may stand between a delivery and its stored copy."""
    if isinstance(raw, str):
        raw = raw.encode("utf-8", "surrogateescape")
    raw = bytes(raw)
    summary = {"email_message_id": "", "sender": "", "subject": ""}
    try:
        headers = BytesHeaderParser(policy=compat32).parsebytes(raw)
        summary = {
            "email_message_id": normalize_message_id(decode_header(headers.get("Message-ID"))),
            "sender": sender_summary(headers.get("From")),
            "subject": decode_header(headers.get("Subject"))[:255],
        }
    except Exception:
        logger.warning("inbound mail with unreadable headers stored as it is", exc_info=True)
    # One INSERT: committed by itself in autocommit, or a part of the caller's transaction.
    return InboundEmail.objects.create(
        raw=raw,
        rebuilt=rebuilt,
        size=len(raw),
        channel=channel,
        source=source,
        esp=esp[:30],
        envelope_recipient=(envelope_recipient or "")[:254],
        **summary,
    )


def waiting(older_than_minutes):
    """Stored mail not processed for a while: its task never ran or was lost."""
    since = timezone.now() - timedelta(minutes=older_than_minutes)
    return InboundEmail.objects.filter(status=InboundStatus.RECEIVED, received_at__lt=since)


def reprocess(inbound_id):
    """Processes a stored message again (after a fix, a blocklist change, a new source)."""
    InboundEmail.objects.filter(pk=inbound_id).update(
        status=InboundStatus.RECEIVED, reason="", error=""
    )
    return process(inbound_id)


def process(inbound_id):
    """Processes one stored message, once: a message already handled is left as it is, so a task
    delivered twice does nothing the second time. Returns the InboundEmail."""
    outermost = not transaction.get_connection().in_atomic_block
    inbound = None
    try:
        with transaction.atomic():
            # The row lock makes concurrent runs for the same delivery wait for each other.
            # Processing is a function of the raw copy, which store() committed durably: should
            # the server crash before this commit reaches the disk, the row is still "received"
            # and is processed again (requeue_inbound), and the notification queued for the
            # lost change finds no events of its operation. So, in a transaction of its own,
            # the commit need not wait for the WAL flush, which was the largest single cost of
            # a mail (PostgreSQL's synchronous_commit, for this transaction only).
            inbound = inbound_reads.locked_inbound(inbound_id, unflushed=outermost)
            if inbound.status not in (InboundStatus.RECEIVED, InboundStatus.FAILED):
                return inbound
            inbound.attempts += 1
            status, reason = _process(inbound)
            _finish(inbound, status, reason)
        return inbound
    except TRANSIENT:
        raise
    except Exception as exc:
        if inbound is None:
            raise  # the stored row itself could not be read
        # Everything the run wrote was rolled back with its transaction (no savepoint in the
        # way of every mail that succeeds); the outcome is recorded in a transaction of its own.
        return _after_failure(inbound, exc, traceback.format_exc())


def _after_failure(failed, exc, trace):
    with transaction.atomic():
        inbound = InboundEmail.objects.select_for_update().get(pk=failed.pk)
        if inbound.status not in (InboundStatus.RECEIVED, InboundStatus.FAILED):
            return inbound  # a concurrent run settled it in the meantime
        inbound.attempts += 1
        inbound.email_message_id = failed.email_message_id
        inbound.sender, inbound.subject = failed.sender, failed.subject
        inbound.message, inbound.ticket, inbound.left_out = None, None, []
        twin = None
        if isinstance(exc, IntegrityError) and inbound.email_message_id:
            # A concurrent delivery of the same e-mail made its message first.
            twin = Message.objects.filter(email_message_id=inbound.email_message_id).first()
        if twin is not None:
            _link(inbound, twin)
            _finish(inbound, InboundStatus.DUPLICATE, _("This e-mail is already on the request."))
        else:
            logger.error("inbound mail %s failed\n%s", inbound.pk, trace)
            inbound.error = trace[-10000:]
            _finish(inbound, InboundStatus.FAILED, f"{type(exc).__name__}: {exc}")
    return inbound


def _finish(inbound, status, reason):
    inbound.status, inbound.reason = status, str(reason)[:255]
    inbound.processed_at = timezone.now()
    # Everything but the raw copy, which processing never changes: not sent back again.
    inbound.save(update_fields=_PROCESSED_FIELDS)


_PROCESSED_FIELDS = [
    "email_message_id",
    "sender",
    "subject",
    "status",
    "reason",
    "error",
    "attempts",
    "processed_at",
    "ticket",
    "message",
    "left_out",
]


def _process(inbound):
    raw = bytes(inbound.raw)
    parsed = parse(raw)
    if inbound.envelope_recipient:
        # Bcc'd or forwarded mail names its real recipient (and its reply token) only here.
        parsed.delivered_to.append(inbound.envelope_recipient.lower())
    inbound.email_message_id = parsed.message_id or synthetic_message_id(raw)
    inbound.sender = parsed.from_email or inbound.sender
    inbound.subject = parsed.subject[:255]

    all_sources, blocked, existing_id = _first_reads(parsed.from_email, inbound.email_message_id)
    own_reason = autoreply.own_mail_reason(parsed, _source_addresses(all_sources))
    if own_reason:
        return InboundStatus.DROPPED, own_reason
    if not parsed.from_email:
        return InboundStatus.QUARANTINED, _("No valid sender address.")
    if blocked:
        return InboundStatus.DROPPED, _("The sender is on the blocklist.")
    automatic = autoreply.automatic_reason(parsed)
    if automatic:
        if support_settings.INBOUND_AUTO_REPLIES == "quarantine":
            return InboundStatus.QUARANTINED, automatic
        return InboundStatus.DROPPED, automatic
    if existing_id is not None:
        _link(inbound, Message.objects.get(pk=existing_id))
        return InboundStatus.DUPLICATE, _("This e-mail is already on the request.")

    thread = threads.find_thread(parsed, all_sources)
    ticket, role = None, None
    if thread is not None:
        role = threads.role_of(thread.ticket, parsed.from_email)
        if role is None and threads.is_agent_address(parsed.from_email):
            return InboundStatus.QUARANTINED, _("An agent's e-mail reply; answer in the desk.")
        if role is None and threads.may_join(thread.ticket, parsed, sender_checked=True):
            role = threads.PARTICIPANT
        if role is not None:
            ticket = thread.ticket
    source = None
    if ticket is None:  # an answer goes to its ticket's source: no other is looked for
        source = inbound.source or source_for(parsed, all_sources)
    if ticket is None and source is None:
        return InboundStatus.QUARANTINED, _("No e-mail source for its recipients.")

    files, left_out = _files(parsed, ticket)
    new_part, rest = split_reply(parsed.text)
    # A concurrent twin's insert of the same Message-ID fails the whole run (an IntegrityError),
    # which process() then records as a duplicate: no savepoint for every mail to pay for.
    joining = ticket is not None and role == threads.PARTICIPANT
    try:
        # A new participant joins with their message or not at all.
        with transaction.atomic() if joining else contextlib.nullcontext():
            if joining:
                _add_participant(ticket, parsed.from_email, parsed.from_name)
            received = intake.receive(
                ticket.source if ticket is not None else source,
                text=new_part or _("(no text)"),
                html=parsed.html or _full_text_html(rest and parsed.text),
                subject=parsed.subject,
                email=parsed.from_email,
                name=parsed.from_name,
                customer=ticket.customer if role == threads.CUSTOMER else None,
                ticket=ticket,
                channel=Channel.EMAIL,
                files=files,
                email_message_id=inbound.email_message_id,
                is_spam=ticket is None and autoreply.marked_as_spam(parsed),
                sender_checked=True,  # the blocklist and the Message-ID, just above
            )
    except intake.SenderBlocked as exc:
        return InboundStatus.DROPPED, " ".join(exc.messages)
    except ValidationError as exc:
        return InboundStatus.QUARANTINED, " ".join(exc.messages)
    if received.duplicate:
        _link(inbound, received.message)
        return InboundStatus.DUPLICATE, _("This e-mail is already on the request.")
    _link(inbound, received.message)
    _copy_participants(received.ticket, parsed, all_sources)
    if left_out:
        inbound.left_out = left_out
        _tell_agents_of_left_out(received.ticket, received.message, left_out)
        transaction.on_commit(
            lambda: signals.attachments_left_out.send(
                sender=InboundEmail, inbound=inbound, message=received.message, files=left_out
            )
        )
    # The confirmation of a new request (capped per address and hour, never for spam) follows
    # from the new ticket itself, as for every channel: mail/confirmation.py.
    return InboundStatus.PROCESSED, ""


def _link(inbound, message):
    inbound.message = message
    inbound.ticket_id = message.ticket_id if message is not None else None


def source_for(parsed, all_sources=None):
    """The enabled e-mail source a webhook delivery belongs to: the one whose address (ignoring
    +tags) is among the recipients; else WAGTAIL_SUPPORT_INBOUND_SOURCE; else the only one.
    ``all_sources``: every source, when the caller has read them already."""
    if all_sources is None:
        all_sources = _all_sources()
    sources = [s for s in all_sources if s.kind == SourceKind.EMAIL and s.enabled]
    wanted = {_without_tag(address) for address in parsed.recipients}
    for source in sources:
        if source.email_address and _without_tag(source.email_address) in wanted:
            return source
    slug = support_settings.INBOUND_SOURCE
    if slug:
        return next((s for s in all_sources if s.slug == slug), None)
    return sources[0] if len(sources) == 1 else None


def _all_sources():
    """Every source in one query (a handful of rows): the pipeline needs their addresses up to
    three times per message and the matching one once."""
    return list(Source.objects.order_by("name", "pk"))


def _first_reads(sender, message_id):
    """(every source, whether ``sender`` is blocked, the id of the message ``message_id``
    already made or None) in one round trip (``inbound_reads.first_reads``)."""
    found = inbound_reads.first_reads(sender, message_id)
    if found is None:  # no source row to carry the answers
        return [], _blocked(sender), _existing_id(message_id)
    return found


def _blocked(sender):
    return bool(sender) and BlockedSender.objects.matching(sender).exists()


def _existing_id(message_id):
    return Message.objects.filter(email_message_id=message_id).values_list("pk", flat=True).first()


def _without_tag(address):
    local, _at, domain = (address or "").lower().rpartition("@")
    return f"{local.split('+')[0]}@{domain}"


def _source_addresses(all_sources=None):
    if all_sources is None:
        all_sources = _all_sources()
    return [source.email_address for source in all_sources if source.email_address]


def _files(parsed, ticket):
    """(files to store, files left out) under the attachment limits."""
    max_size = support_settings.ATTACHMENT_MAX_SIZE
    files, left_out = [], []
    if not parsed.attachments:
        return files, left_out
    room = support_settings.ATTACHMENT_MAX_COUNT - (ticket.attachments.count() if ticket else 0)
    for attachment in parsed.attachments:
        refusal = type_refusal(attachment.name, attachment.data[:SNIFF_BYTES])
        if refusal:
            left_out.append(_left_out(attachment, refusal))
        elif attachment.size > max_size:
            left_out.append(_left_out(attachment, _("larger than %(max)s"), max_size))
        elif len(files) >= room:
            left_out.append(_left_out(attachment, _("the request holds the most files allowed")))
        else:
            upload = ContentFile(attachment.data, name=attachment.name)
            upload.content_type = attachment.content_type
            files.append(upload)
    return files, left_out


def _left_out(attachment, why, max_size=None):
    reason = why % {"max": filesizeformat(max_size)} if max_size else why
    return {"name": attachment.name, "size": attachment.size, "reason": reason}


def _tell_agents_of_left_out(ticket, message, left_out):
    lines = [
        _("These attachments of the customer's e-mail were left out:"),
        *(f"- {f['name']} ({filesizeformat(f['size'])}): {f['reason']}" for f in left_out),
    ]
    locked = lock(ticket)
    change = TicketChange(locked, None)
    change.add_message(
        MessageKind.NOTE, "\n".join(lines), channel=Channel.EMAIL, from_customer=False
    )
    change.save()


def attachments_left_out(message):
    """The files left out of ``message`` (a ticket message that came by e-mail): a list of
    ``{"name", "size", "reason"}``. For telling the customer (outbound mail)."""
    inbound = message.inbound_emails.exclude(left_out=[]).first()
    return list(inbound.left_out) if inbound is not None else []


def _add_participant(ticket, address, name=""):
    with transaction.atomic():  # the unique constraint settles concurrent additions
        Participant.objects.get_or_create(
            ticket=ticket, email=address.lower(), defaults={"name": (name or "")[:150]}
        )


def _copy_participants(ticket, parsed, all_sources=None):
    """People the customer (or a participant) copied join the conversation; our own addresses,
    the customer and agents do not."""
    if not parsed.cc:
        return
    own = {_without_tag(address) for address in _source_addresses(all_sources)}
    own.add(_without_tag(support_settings.FROM_EMAIL or settings.DEFAULT_FROM_EMAIL or ""))
    customer = {(ticket.customer_email or "").lower()}
    if ticket.customer_id is not None:
        customer.add((ticket.customer.email or "").lower())
    for address in parsed.cc:
        if _without_tag(address) in own or address in customer or "+" in address.split("@")[0]:
            continue
        if threads.is_agent_address(address):
            continue
        with contextlib.suppress(IntegrityError):
            _add_participant(ticket, address)


def _full_text_html(text):
    """The whole plain-text e-mail, quoted history and signature included, for the folded
    "whole e-mail" view; '' when the new part is all there is."""
    return f"<pre>{escape(text)}</pre>" if text else ""
