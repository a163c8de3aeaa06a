"""Merging a duplicate into another ticket, and splitting a message out into a new ticket
(issue 15, item 4).

Merge: the duplicate's messages, attachments, participants, followers and read marks move to
the survivor; the duplicate closes with ``merged_into`` pointing at the survivor, so mail to
its number, token or threads lands on the survivor (``mail/threads.py``). Split: one message
(with its files) leaves for a new ticket of the same customer and source. Both lock the rows
they change, write history on both tickets through ``TicketChange`` and need the permission
``wagtail_support.merge_tickets`` and sight of both tickets.
"""

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from . import access
from .models import (
    Attachment,
    EventKind,
    Follow,
    Message,
    MessageKind,
    Participant,
    ReadMark,
    Ticket,
)
from .numbers import next_number
from .workflows.changes import TicketChange, to_json
from .workflows.engine import WorkflowError, check_version
from .workflows.models import StateType

PERMISSION = "wagtail_support.merge_tickets"


class MergeRefused(WorkflowError):
    pass


def may_merge(user, ticket):
    """Whether ``user`` may merge or split ``ticket`` at all (the controls)."""
    return (
        access.is_agent(user)
        and (user.is_superuser or user.has_perm(PERMISSION))
        and ticket.deleted_at is None
        and ticket.merged_into_id is None
    )


def survivor_of(ticket):
    """The ticket that holds ``ticket``'s conversation now: itself, or the ticket it was merged
    into (followed along a chain of merges, never round a loop)."""
    seen = {ticket.pk}
    while ticket.merged_into_id is not None and ticket.merged_into_id not in seen:
        seen.add(ticket.merged_into_id)
        ticket = Ticket.objects.select_related("source", "customer").get(pk=ticket.merged_into_id)
    return ticket


def _check_rights(actor, *tickets):
    for ticket in tickets:
        if not may_merge(actor, ticket) or not access.can_see(actor, ticket):
            raise MergeRefused(
                _("You may not merge or split ticket %(number)s.") % {"number": ticket.number}
            )


def _closed_state(workflow):
    states = workflow.states.order_by("sort_order", "pk")
    return (
        states.filter(type=StateType.CLOSED).first()
        or states.filter(type=StateType.RESOLVED).first()
    )


def merge(duplicate, survivor, actor, *, expected_version=None):
    """Merges ``duplicate`` into ``survivor``; returns the survivor as saved."""
    if duplicate.pk == survivor.pk:
        raise MergeRefused(_("A ticket cannot be merged into itself."))
    with transaction.atomic():
        # Both rows locked, in one order whoever merges which way, so two merges never deadlock.
        rows = Ticket.objects.select_for_update().filter(pk__in=[duplicate.pk, survivor.pk])
        locked = {row.pk: row for row in rows.order_by("pk")}
        duplicate, survivor = locked[duplicate.pk], locked[survivor.pk]
        check_version(duplicate, expected_version)
        _check_rights(actor, duplicate, survivor)
        closed = _closed_state(duplicate.workflow)
        if closed is None:
            raise MergeRefused(_("The duplicate's workflow has no closed or resolved state."))

        _move_conversation(duplicate, survivor)
        kept = TicketChange(survivor, actor)
        kept.record(EventKind.FIELD, {"field": "merged_from", "new": to_json(duplicate)})
        if duplicate.awaiting_reply_since and survivor.state.type not in (
            StateType.RESOLVED,
            StateType.CLOSED,
        ):
            # The duplicate's unanswered question is the survivor's now.
            waiting = (survivor.awaiting_reply_since, duplicate.awaiting_reply_since)
            survivor.awaiting_reply_since = min(t for t in waiting if t)
        kept.save()

        gone = TicketChange(duplicate, actor)
        gone.set_attribute("merged_into", survivor)
        gone.set_state(closed)
        duplicate.awaiting_reply_since = None
        gone.save()
        return survivor


def _move_conversation(duplicate, survivor):
    Message.objects.filter(ticket=duplicate).update(ticket=survivor)
    Attachment.objects.filter(ticket=duplicate).update(ticket=survivor)
    # Unique per ticket: rows the survivor already has stay, the duplicate's copies go.
    emails = {e.lower() for e in survivor.participants.values_list("email", flat=True)}
    emails.add((survivor.customer_email or "").lower())
    for participant in Participant.objects.filter(ticket=duplicate):
        if participant.email.lower() in emails:
            participant.delete()
        else:
            emails.add(participant.email.lower())
            participant.ticket = survivor
            participant.save(update_fields=["ticket"])
    other_customer = (duplicate.customer_email or "").lower()
    if other_customer and other_customer not in emails:
        # Another customer's duplicate: they take part in the survivor's conversation from now.
        Participant.objects.create(
            ticket=survivor,
            email=duplicate.customer_email,
            name=duplicate.customer_name,
            user=duplicate.customer,
        )
    for model in (Follow, ReadMark):
        users = model.objects.filter(ticket=survivor).values("user")
        model.objects.filter(ticket=duplicate, user__in=users).delete()
        model.objects.filter(ticket=duplicate).update(ticket=survivor)


def split(message, actor, *, subject="", expected_version=None):
    """Moves ``message`` (and its files) out of its ticket into a new ticket of the same
    customer and source; returns the new ticket."""
    with transaction.atomic():
        original = Ticket.objects.select_for_update().get(pk=message.ticket_id)
        check_version(original, expected_version)
        _check_rights(actor, original)
        message = Message.objects.select_for_update().get(pk=message.pk, ticket=original)
        if message.kind == MessageKind.NOTE:
            raise MergeRefused(_("Internal notes stay with their ticket."))
        if not Message.objects.filter(ticket=original).exclude(pk=message.pk).exists():
            raise MergeRefused(_("The ticket's only message cannot be split out."))
        source = original.source
        initial = source.workflow.initial_state()
        if initial is None:
            raise MergeRefused(_("The source's workflow has no 'New' state."))
        new = Ticket.objects.create(
            number=next_number(source.number_prefix),
            source=source,
            workflow=initial.workflow,
            state=initial,
            subject=(subject.strip() or original.subject)[:255],
            customer=original.customer,
            customer_email=original.customer_email,
            customer_name=original.customer_name,
            priority=original.priority,
            category=original.category,
            kind=original.kind,
            language=original.language,
            # The people working on the question keep it.
            assignee_id=original.assignee_id,
            assigned_group_id=original.assigned_group_id,
            split_from=original,
            # A customer's question waits for its answer on the new ticket.
            awaiting_reply_since=message.created_at if message.from_customer else None,
        )
        Message.objects.filter(pk=message.pk).update(ticket=new)
        Attachment.objects.filter(message=message).update(ticket=new)

        created = TicketChange(new, actor)
        created.record(
            EventKind.CREATED,
            {"source": source.slug, "channel": message.channel, "state": initial.slug},
        )
        created.record(EventKind.FIELD, {"field": "split_from", "new": to_json(original)})
        created.save()
        left = TicketChange(original, actor)
        left.record(EventKind.FIELD, {"field": "split_to", "new": to_json(new)})
        if original.awaiting_reply_since and not _waits(original):
            original.awaiting_reply_since = None
        left.save()
        return new


def _waits(ticket):
    """Whether the ticket still has a customer message after the agents' last public reply."""
    replies = Message.objects.filter(ticket=ticket, kind=MessageKind.REPLY)
    last_answer = replies.filter(from_customer=False).order_by("-created_at").first()
    later = Q(created_at__gt=last_answer.created_at) if last_answer else Q()
    return replies.filter(later, from_customer=True).exists()
