"""Which ticket an incoming e-mail answers, and who its sender is on that ticket.

In order: In-Reply-To/References that match a Message-ID we sent or a message already on a ticket;
the signed token in a recipient address or in the body; the ticket number in the subject, but only
when the sender already takes part in that ticket (numbers are guessable, tokens are not).
"""

import re
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Value

from .. import access
from ..merge import survivor_of
from ..models import Message, OutboundEmail, Source, Ticket
from .addresses import ticket_id_in_addresses, ticket_id_in_text

CUSTOMER = "customer"
PARTICIPANT = "participant"

# "[#WEB-12]", "(WEB-12)", "#12", or a bare "MAIL-12" (a prefix makes a bare number distinctive).
_NUMBER_IN_SUBJECT = re.compile(
    r"(?:#|\[|\()\s*#?([A-Za-z0-9-]{0,10}\d{1,12})\b|\b([A-Za-z][A-Za-z0-9]{0,8}-\d{1,12})\b"
)


@dataclass
class Thread:
    ticket: Ticket
    found_by: str  # "headers", "token" or "subject"


def find_thread(parsed, sources=None):
    """The Thread ``parsed`` continues, or None for a new request. Mail to a ticket merged into
    another lands on the survivor (merge.py). ``sources``: every source, when the caller has read
    them already; the ticket is given its own from them."""
    thread = _find_thread(parsed, sources)
    if thread is not None and thread.ticket.merged_into_id is not None:
        thread.ticket = survivor_of(thread.ticket)
        if thread.ticket.deleted_at is not None:
            return None  # the survivor is in the trash: a new request, like any deleted ticket's
    if thread is not None and sources is not None:
        source = next((s for s in sources if s.pk == thread.ticket.source_id), None)
        if source is not None:
            thread.ticket.source = source
    return thread


def _find_thread(parsed, sources):
    # The newest references are the ones that matter; hostile mail carries thousands.
    ids = [*parsed.in_reply_to[:5], *reversed(parsed.references[-50:])]
    if ids:
        ticket = _ticket_by_message_ids(ids)
        if ticket is not None:
            return Thread(ticket, "headers")
    ticket_id = ticket_id_in_addresses(parsed.recipients) or ticket_id_in_text(parsed.text)
    if ticket_id is not None:
        ticket = _live().filter(pk=ticket_id).first()
        if ticket is not None:
            return Thread(ticket, "token")
    found = _NUMBER_IN_SUBJECT.findall(parsed.subject or "")[:5]
    numbers = {bracketed or bare for bracketed, bare in found}
    if numbers and parsed.from_email:
        for ticket in _live().filter(number__in=_spellings(numbers, sources)):
            if role_of(ticket, parsed.from_email) is not None:
                return Thread(ticket, "subject")
    return None


def _spellings(numbers, sources=None):
    """Each number as the ticket holds it. People change the case of a prefix; matching with
    iexact would read every ticket, so the prefixes' stored spellings are tried instead, which
    the number's unique index serves."""
    if sources is None:
        prefixes = {p for p in Source.objects.values_list("number_prefix", flat=True) if p}
    else:
        prefixes = {source.number_prefix for source in sources if source.number_prefix}
    found = set(numbers)
    for number in numbers:
        for prefix in prefixes:
            if number.upper().startswith(prefix.upper()):
                found.add(prefix + number[len(prefix) :])
    return found


def _live():
    # What threading and posting read of the ticket; intake locks the row again and takes its
    # state and workflow from the kept configuration. Its source comes from the pipeline's
    # first read (find_thread's ``sources``), else from its own query when asked for.
    return Ticket.objects.filter(deleted_at__isnull=True).select_related("customer")


def _ticket_by_message_ids(ids):
    # Both tables in one round trip; what we sent wins over what we received.
    found = (
        OutboundEmail.objects.with_message_ids(*ids)
        .annotate(sent=Value(True))
        .order_by()
        .values_list("email_message_id", "ticket_id", "sent")
        .union(
            Message.objects.filter(email_message_id__in=ids)
            .annotate(sent=Value(False))
            .order_by()
            .values_list("email_message_id", "ticket_id", "sent"),
            all=True,
        )
        # No order for the union either: Django 6.1 would carry the model's default ordering
        # onto it, naming columns the union does not select.
        .order_by()
    )
    sent, received = {}, {}
    for message_id, ticket_id, was_sent in found:
        (sent if was_sent else received)[message_id] = ticket_id
    for message_id in ids:  # In-Reply-To first, then the newest reference
        ticket_id = sent.get(message_id) or received.get(message_id)
        if ticket_id is not None:
            ticket = _live().filter(pk=ticket_id).first()
            if ticket is not None:
                return ticket
    return None


def role_of(ticket, address):
    """CUSTOMER, PARTICIPANT or None: what the sender ``address`` is on ``ticket``."""
    address = (address or "").lower()
    if not address:
        return None
    if ticket.customer_id is not None:
        if (ticket.customer.email or "").lower() == address:
            return CUSTOMER
    elif access.is_customer_of(access.Guest(address), ticket):
        return CUSTOMER
    if address in participant_emails(ticket):
        return PARTICIPANT
    return None


def participant_emails(ticket):
    """The addresses of the ticket's participants, lowercased: read once per ticket object
    (``role_of()`` and then ``may_join()`` ask for them about the same e-mail)."""
    emails = getattr(ticket, "_ws_participant_emails", None)
    if emails is None:
        emails = {email.lower() for email in ticket.participants.values_list("email", flat=True)}
        ticket._ws_participant_emails = emails
    return emails


def may_join(ticket, parsed, *, sender_checked=False):
    """Whether a sender who is not yet on ``ticket`` may join it as a participant: they were sent
    the ticket's mail (To or Cc of something we sent), or they write to the conversation with
    its customer or a participant in copy (reply-all from someone who was copied).
    ``sender_checked``: the caller has just asked ``is_agent_address()`` and got False."""
    sender = parsed.from_email
    if not sender or (not sender_checked and is_agent_address(sender)):
        return False
    for to, cc in OutboundEmail.objects.filter(ticket=ticket).values_list("to", "cc"):
        if sender in {str(a).lower() for a in [*(to or []), *(cc or [])]}:
            return True
    copied = set(parsed.to) | set(parsed.cc)
    known = {(ticket.customer_email or "").lower()} | participant_emails(ticket)
    if ticket.customer_id is not None:
        known.add((ticket.customer.email or "").lower())
    known.discard("")
    return bool(copied & known)


def is_agent_address(address):
    """Agents answer in the desk: their e-mail is never posted to a customer's conversation."""
    users = get_user_model().objects.filter(email__iexact=address, is_active=True)
    return any(access.is_agent(user) for user in users[:5])
