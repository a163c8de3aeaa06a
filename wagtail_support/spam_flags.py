"""Marking a ticket as spam and releasing it ("Not spam"), for agents with
``wagtail_support.handle_spam``. Each is one change on the locked ticket with its history entry.

While a ticket is flagged it is only in the Spam list and nobody is mailed about it: the
confirmation of a request that arrived flagged and the agents' public replies written meanwhile
are held. Releasing the ticket sends them (each mail once, however often it is released).

The service-level clocks count from the request's arrival, also for the time it spent flagged:
the customer waited that long, whoever flagged it. (The escalation scan leaves flagged tickets
alone; the release computes their due times again, so an overdue one is at once at risk.)
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from . import access, jobs
from .models import BlockedSender, EventKind, Message, MessageKind, TicketEvent
from .models.blocklist import normalise
from .workflows.changes import TicketChange
from .workflows.engine import WorkflowError, check_version, lock


class NotSpamError(WorkflowError):
    pass


def may_handle(user):
    return access.is_agent(user) and user.has_perm("wagtail_support.handle_spam")


def why_not(user, ticket, is_spam):
    """None when ``user`` may set the ticket's flag to ``is_spam`` now, else the reason."""
    if not may_handle(user):
        return _("You may not mark tickets as spam or release them.")
    if ticket.deleted_at is not None:
        return _("This ticket is deleted.")
    if ticket.is_spam == is_spam:
        if is_spam:
            return _("Ticket %(number)s is already marked as spam.") % {"number": ticket.number}
        return _("Ticket %(number)s is not marked as spam.") % {"number": ticket.number}
    return None


def mark(ticket, actor, *, block_sender=False, expected_version=None):
    """Flags the ticket as spam; ``block_sender`` also puts the customer's address on the
    blocklist, so their next request is refused."""
    with transaction.atomic():
        locked = _locked(ticket, actor, True, expected_version)
        change = TicketChange(locked, actor)
        blocked = _block(locked, actor) if block_sender else None
        change.set_spam(True, **({"blocked": blocked} if blocked else {}))
        change.save(activity=False)
    return locked


def release(ticket, actor, *, expected_version=None):
    """Clears the flag: the ticket is back in the lists and its held mail goes out."""
    with transaction.atomic():
        locked = _locked(ticket, actor, False, expected_version)
        change = TicketChange(locked, actor)
        change.set_spam(False)
        change.save()
        pk = locked.pk
        transaction.on_commit(lambda: send_held(pk))
    return locked


def _locked(ticket, actor, is_spam, expected_version):
    if not may_handle(actor) or not access.can_see(actor, ticket):
        raise PermissionDenied
    locked = lock(ticket)
    check_version(locked, expected_version)
    reason = why_not(actor, locked, is_spam)
    if reason:
        raise NotSpamError(reason)
    return locked


def _block(ticket, actor):
    address = normalise(ticket.customer.email if ticket.customer_id else ticket.customer_email)
    if address.startswith("@"):  # no address to block
        return None
    BlockedSender.objects.get_or_create(
        pattern=address,
        defaults={"reason": _("Spam: %(number)s") % {"number": ticket.number}, "created_by": actor},
    )
    return address


def send_held(ticket_id):
    """Schedules what the flag held back: the request's confirmation and the mail of every
    public reply that has none. Both are keyed by Message-ID, so nothing goes out twice."""
    from . import tasks

    jobs.enqueue(tasks.send_confirmation, ticket_id)
    unsent = Message.objects.filter(
        ticket_id=ticket_id,
        kind=MessageKind.REPLY,
        from_customer=False,
        outbound_emails__isnull=True,
    )
    operations = (
        TicketEvent.objects.filter(ticket_id=ticket_id, message__in=unsent)
        .exclude(kind=EventKind.CREATED)
        .order_by("operation")
        .values_list("operation", flat=True)
        .distinct()
    )
    for operation in operations:
        jobs.enqueue(tasks.notify_change, ticket_id, str(operation), again=True)
