"""The one way requests come in: ``receive()`` turns anything incoming (a form, an e-mail, an
agent taking a call, an API client) into a new ticket, or into a customer's message on an existing
one. Channels are thin adapters that call it."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from . import access, intake_config
from .attachments import check_attachments, store_attachments
from .models import (
    BlockedSender,
    Channel,
    EventKind,
    Message,
    MessageKind,
    Priority,
    Ticket,
)
from .numbers import next_number
from .workflows.changes import TicketChange, to_json
from .workflows.engine import lock


@dataclass
class Received:
    ticket: Ticket
    message: Message | None
    created: bool
    duplicate: bool = False


class SenderBlocked(ValidationError):
    pass


CHANNEL_OF_SOURCE = {
    "web": Channel.WEB,
    "email": Channel.EMAIL,
    "manual": Channel.PHONE,
    "api": Channel.API,
}


def receive(
    source,
    *,
    text,
    subject="",
    html="",
    customer=None,
    email="",
    name="",
    ticket=None,
    channel=None,
    entered_by=None,
    files=(),
    category=None,
    priority=None,
    kind=None,
    custom_fields=None,
    email_message_id=None,
    is_spam=False,
    language="",
    sender_checked=False,
):
    """A new ticket in ``source``, or, with ``ticket``, the customer's (or a participant's)
    message on it.

    ``customer`` is a user; guests are known by ``email`` (and ``name``). ``entered_by`` is the
    agent who typed the request in (phone, walk-in). The same ``email_message_id`` never makes
    two messages: the second delivery returns the first one with ``duplicate=True``.

    ``sender_checked``: the caller has looked up the blocklist and ``email_message_id`` itself,
    in this transaction (the inbound pipeline does, before threading): not asked twice.
    """
    channel = channel or CHANNEL_OF_SOURCE.get(source.kind, Channel.WEB)
    if email_message_id and not sender_checked:
        existing = Message.objects.filter(email_message_id=email_message_id).first()
        if existing is not None:
            return Received(existing.ticket, existing, created=False, duplicate=True)
    if entered_by is not None and not access.is_agent(entered_by):
        raise ValidationError(_("Only agents can enter requests for customers."))
    sender = email or getattr(customer, "email", "")
    if (
        entered_by is None
        and not sender_checked
        and BlockedSender.objects.matching(sender).exists()
    ):
        # An agent may still take a blocked sender's call; nothing else gets through.
        raise SenderBlocked(_("Requests from this address are not accepted."))
    author = {"customer": customer, "email": (email or "").strip(), "name": (name or "").strip()}
    if ticket is not None:

        def prepare():
            return _reply_checked(ticket, author, files)

        def write(locked):
            return _reply(locked, text, html, channel, author, files, email_message_id)

    else:

        def prepare():
            return _create_checked(source, subject, text, author, files)

        def write(checked):
            return _create(
                source,
                subject=checked["subject"],
                initial=checked["initial"],
                text=text,
                html=html,
                channel=channel,
                author=author,
                entered_by=entered_by,
                files=files,
                attributes={"category": category, "priority": priority, "kind": kind},
                custom_fields=custom_fields or {},
                email_message_id=email_message_id,
                is_spam=is_spam,
                language=language,
            )

    if transaction.get_connection().in_atomic_block:
        # Inside the caller's transaction (the inbound pipeline's): what can refuse the request
        # runs first and writes nothing, so a refusal leaves the caller's transaction usable;
        # the writes then need no savepoint of their own (two more statements per mail) and a
        # failure among them rolls the caller's whole transaction back.
        checked = prepare()
        with transaction.atomic(savepoint=False):
            return write(checked)
    with transaction.atomic():
        return write(prepare())


def _create_checked(source, subject, text, author, files):
    """What a new request needs settled before anything is written; ValidationError if not."""
    errors = {}
    subject = (subject or "").strip() or _first_line(text)
    if not subject:
        errors["subject"] = _("Give the request a subject.")
    if author["customer"] is None and not author["email"]:
        errors["email"] = _("Give the customer's e-mail address or account.")
    if not source.enabled:
        errors["source"] = _("This source does not accept requests.")
    # The configuration is read from the process's snapshot, not queried per request.
    initial = intake_config.initial_state(source.workflow_id)
    if initial is None:
        errors["source"] = _("The source's workflow has no 'New' state.")
    if errors:
        raise ValidationError(errors)
    check_attachments(None, files)
    return {"subject": subject, "initial": initial}


def _create(
    source,
    *,
    subject,
    initial,
    text,
    html,
    channel,
    author,
    entered_by,
    files,
    attributes,
    custom_fields,
    email_message_id,
    is_spam,
    language,
):
    customer = author["customer"]
    ticket = Ticket(
        number=next_number(source.number_prefix),
        source=source,
        workflow=initial.workflow,
        state=initial,
        subject=subject[:255],
        customer=customer,
        customer_email=author["email"] or (customer.email if customer else ""),
        customer_name=author["name"] or (customer.get_full_name() if customer else ""),
        # By id: the source may be the process's shared snapshot, which must not cache users.
        assignee_id=source.default_assignee_id,
        assigned_group_id=source.default_group_id,
        priority=attributes["priority"] or Priority.NORMAL,
        category=attributes["category"],
        custom_fields={key: to_json(value) for key, value in custom_fields.items()},
        is_spam=is_spam,
        language=language,
    )
    if attributes["kind"]:
        ticket.kind = attributes["kind"]
    ticket.save()

    actor = entered_by or customer or access.Guest(ticket.customer_email, ticket.customer_name)
    change = TicketChange(ticket, actor)
    change.record(
        EventKind.CREATED,
        {
            "source": source.slug,
            "channel": channel,
            "state": initial.slug,
            "entered_by": to_json(entered_by),
            "assignee": to_json(ticket.assignee),
            "group": to_json(ticket.assigned_group),
            # Nobody responsible: the admins are told (R-WF5).
            "unassigned": ticket.assignee_id is None and ticket.assigned_group_id is None,
            "spam": is_spam,
        },
    )
    message = change.add_message(
        MessageKind.REPLY,
        text,
        html=html,
        channel=channel,
        from_customer=True,
        author=entered_by or customer,
        author_email=ticket.customer_email,
        author_name=ticket.customer_name,
        email_message_id=email_message_id,
    )
    if files:  # a new ticket holds no files yet: nothing to count without any
        store_attachments(ticket, message, files, uploaded_by=entered_by or customer)
    change.save()
    return Received(ticket, message, created=True)


def _reply_checked(ticket, author, files):
    """The ticket's row, locked, once the author may reply to it; ValidationError if not."""
    locked = lock(ticket)
    _attach_configuration(locked)
    actor = author["customer"] or access.Guest(author["email"], author["name"])
    if not access.is_customer_of(actor, locked) and not _is_participant(locked, author):
        raise ValidationError(_("Only the request's customer can reply to it here."))
    if locked.deleted_at is not None:
        raise ValidationError(_("This request no longer exists."))
    if files:  # a reply without files is never refused for the files the request holds
        check_attachments(locked, files)
    return locked


def _reply(locked, text, html, channel, author, files, email_message_id):
    actor = author["customer"] or access.Guest(author["email"], author["name"])
    change = TicketChange(locked, actor)
    message = change.add_message(
        MessageKind.REPLY,
        text,
        html=html,
        channel=channel,
        from_customer=True,
        author=author["customer"],
        author_email=author["email"] or locked.customer_email,
        author_name=author["name"] or locked.customer_name,
        email_message_id=email_message_id,
    )
    if files:  # check_attachments() above has counted the ticket's files
        store_attachments(locked, message, files, uploaded_by=author["customer"])
    target = locked.state.customer_reply_target
    if target:
        # e.g. Resolved → Reopened, Waiting for customer → In progress (R-WF8).
        change.set_state(intake_config.state(locked.workflow_id, target))
    change.save()
    return Received(locked, message, created=False)


def _attach_configuration(ticket):
    """Gives the locked row its state and workflow from the snapshot instead of a query each."""
    state = intake_config.state_by_pk(ticket.state_id)
    if state is not None and state.workflow_id == ticket.workflow_id:
        ticket.state = state
        ticket.workflow = state.workflow


def _is_participant(ticket, author):
    """Someone copied on the conversation (models.Participant). Their reply is public and counts
    as the requesting side's (``from_customer``: it reopens and restarts the response clock like
    the customer's own), but the ticket's customer stays who it was."""
    email = author["email"] or getattr(author["customer"], "email", "")
    return bool(email) and ticket.participants.filter(email__iexact=email).exists()


def _first_line(text):
    for line in (text or "").splitlines():
        if line.strip():
            return line.strip()[:120]
    return ""


@transaction.atomic
def claim_guest_requests(user, verified_email):
    """Gives a customer the requests they sent as a guest from ``verified_email``: the address the
    site has just verified as theirs (the link sent there was opened and confirmed by this account).

    Nothing moves unless the account holds that address at this moment, read under a row lock: an
    address changed between the link and the confirmation, or a link confirmed for another
    account, claims nothing."""
    email = (verified_email or "").strip()
    if not email:
        return []
    current = (
        type(user)
        ._default_manager.select_for_update()
        .filter(pk=user.pk, is_active=True)
        .values_list("email", flat=True)
        .first()
    )
    if (current or "").strip().lower() != email.lower():
        return []
    guest_tickets = Ticket.objects.select_for_update().filter(
        customer__isnull=True, customer_email__iexact=email
    )
    claimed = []
    for ticket in guest_tickets:
        change = TicketChange(ticket, user)
        change.set_attribute("customer", user)
        change.save(activity=False)  # nothing new for the agents to read
        claimed.append(ticket)
    return claimed
