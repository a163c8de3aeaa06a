"""The primitive changes to a ticket, each with its history event. Only the engine and intake use
them, on a ticket row they hold locked, inside their transaction."""

import datetime
import decimal

from django.db import models, transaction
from django.utils import timezone

from .. import access
from ..html import clean_html
from ..models import EventKind, Message, MessageKind, TicketEvent
from ..models.history import packed
from ..signals import ticket_changed
from .models import StateType


def to_json(value):
    """A value as the history stores it: plain JSON, model instances as id and label."""
    if isinstance(value, models.Model):
        return {"id": value.pk, "label": str(value)}
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, list | tuple | set):
        return [to_json(item) for item in value]
    return value


class TicketChange:
    """One operation by one actor on one ticket: applies changes, collects their events, and on
    ``save()`` writes the ticket and its events and schedules the notification."""

    def __init__(self, ticket, actor):
        self.ticket = ticket
        self.actor = actor
        self.operation = None  # the ticket's version once saved
        self.events = []
        self.now = timezone.now()

    def record(self, kind, data=None, message=None):
        user = self.actor if getattr(self.actor, "pk", None) else None
        event = TicketEvent(
            ticket=self.ticket,
            kind=kind,
            actor=user,
            actor_email=self.actor.email if isinstance(self.actor, access.Guest) else "",
            message=message,
            data=data or {},
        )
        self.events.append(event)
        return event

    def add_message(
        self,
        kind,
        text,
        *,
        channel,
        from_customer,
        html="",
        author=None,
        author_email="",
        author_name="",
        email_message_id=None,
    ):
        author = author if getattr(author, "pk", None) else None
        message = Message.objects.create(
            ticket=self.ticket,
            kind=kind,
            author=author,
            author_email=author_email or (author.email if author else ""),
            author_name=author_name or (author.get_full_name() if author else ""),
            from_customer=from_customer,
            channel=channel,
            text=text,
            html=clean_html(html),
            email_message_id=email_message_id or None,
        )
        event_kind = EventKind.NOTE if kind == MessageKind.NOTE else EventKind.MESSAGE
        # The message row holds its channel and kind; only who wrote it is kept here, for mail
        # that describes the change without loading the message.
        self.record(event_kind, {"from_customer": True} if from_customer else {}, message=message)
        if kind == MessageKind.REPLY and not from_customer and not self.ticket.first_response_at:
            self.ticket.first_response_at = self.now
        return message

    def set_state(self, state):
        ticket = self.ticket
        old = ticket.state
        if state.pk == old.pk:
            return
        ticket.state = state
        ticket.state_changed_at = self.now
        if state.type == StateType.RESOLVED:
            ticket.resolved_at = self.now
            ticket.closed_at = None
        elif state.type == StateType.CLOSED:
            ticket.resolved_at = ticket.resolved_at or self.now
            ticket.closed_at = self.now
        else:
            # Reopened: the earlier resolution no longer stands.
            ticket.resolved_at = None
            ticket.closed_at = None
        self.record(
            EventKind.STATE,
            {
                "old": {"slug": old.slug, "name": old.name, "type": old.type},
                "new": {"slug": state.slug, "name": state.name, "type": state.type},
            },
        )

    def assign(self, user, group):
        ticket = self.ticket
        if ticket.assignee_id == getattr(user, "pk", None) and ticket.assigned_group_id == getattr(
            group, "pk", None
        ):
            return
        old = {"user": to_json(ticket.assignee), "group": to_json(ticket.assigned_group)}
        ticket.assignee = user
        ticket.assigned_group = group
        self.record(
            EventKind.ASSIGNMENT,
            {"old": old, "new": {"user": to_json(user), "group": to_json(group)}},
        )

    def set_attribute(self, name, value):
        """category, priority, complexity, kind or subject."""
        old = getattr(self.ticket, name)
        if old == value:
            return
        setattr(self.ticket, name, value)
        self.record(EventKind.FIELD, {"field": name, "old": to_json(old), "new": to_json(value)})

    def set_custom_field(self, key, value):
        value = to_json(value)
        old = self.ticket.custom_fields.get(key)
        if old == value:
            return
        self.ticket.custom_fields = {**self.ticket.custom_fields, key: value}
        self.record(EventKind.FIELD, {"field": key, "custom": True, "old": old, "new": value})

    def delete(self):
        self.ticket.deleted_at = self.now
        self.ticket.deleted_by = self.actor if getattr(self.actor, "pk", None) else None
        self.record(EventKind.DELETED)

    def restore(self):
        """Out of the trash: the entry says when and by whom it had been deleted."""
        ticket = self.ticket
        if ticket.deleted_at is None:
            return
        self.record(
            EventKind.RESTORED,
            {"deleted_at": to_json(ticket.deleted_at), "deleted_by": to_json(ticket.deleted_by)},
        )
        ticket.deleted_at = None
        ticket.deleted_by = None

    def set_spam(self, is_spam, **data):
        """Flags or releases the ticket; ``data`` (e.g. the sender blocked) joins the entry."""
        if self.ticket.is_spam == is_spam:
            return
        self.ticket.is_spam = is_spam
        self.record(EventKind.SPAM, {"old": not is_spam, "new": is_spam, **data})

    def save(self, activity=True):
        """``activity``: whether agents should see the ticket as updated (unread again)."""
        from ..sla.tracking import track

        ticket = self.ticket
        ticket.version += 1
        # The version names the operation: raised once per operation on the locked row, so it is
        # unique within the ticket, and four bytes where a UUID took sixteen.
        self.operation = ticket.version
        for event in self.events:
            event.operation = self.operation
        if activity:
            ticket.last_activity_at = self.now
        if ticket.state_changed_at is None:
            ticket.state_changed_at = self.now
        track(self)
        ticket.save()
        # Stored densely; the signal and the caller get one event per change.
        rows = TicketEvent.objects.bulk_create(packed(self.events))
        for event in self.events if rows else ():
            event.created_at = rows[0].created_at
        events, actor = list(self.events), self.actor
        transaction.on_commit(
            lambda: ticket_changed.send(
                sender=type(ticket), ticket=ticket, events=events, actor=actor
            )
        )
        return events
