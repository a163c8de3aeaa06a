"""The one way a person changes a ticket: ``perform(ticket, action, actor, data)``.

It checks that the action is offered in the ticket's state and allowed for this actor, validates
the action's form, then applies message, attributes, assignment, state and deletion, writes a
TicketEvent for every change and notifies after the commit. All of it in one transaction on the
locked ticket row; a ticket that changed since the actor loaded it is refused, not overwritten.
"""

from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from .. import access
from ..attachments import check_attachments, store_attachments
from ..models import Channel, EventKind, MessageKind, Ticket
from . import rights
from .changes import TicketChange, to_json
from .forms import ASSIGN_GROUP, ASSIGN_USER, MESSAGE, ActionForm
from .models import Assignment, AssignmentCursor, FieldTarget, Writes


class WorkflowError(Exception):
    """A refusal the actor should read; ``str(error)`` is the message."""


class ActionNotAllowed(WorkflowError):
    pass


class TicketChanged(WorkflowError):
    pass


class InvalidActionData(WorkflowError):
    def __init__(self, errors):
        self.errors = errors
        super().__init__(_("Please correct the errors below."))


class NoAgentAvailable(WorkflowError):
    pass


@dataclass
class Outcome:
    ticket: Ticket
    message: object = None
    events: list = field(default_factory=list)


def check_version(locked, expected_version):
    """Refuses a form built from an older version of the (locked) ticket; None: no check."""
    if expected_version is not None and str(locked.version) != str(expected_version).strip():
        raise TicketChanged(
            _(
                "Someone else changed ticket %(number)s while you were working on it. "
                "Nothing was saved: reload it, check what changed and try again."
            )
            % {"number": locked.number}
        )


def perform(
    ticket, action, actor, data=None, *, files=(), expected_version=None, channel=Channel.ADMIN
):
    with transaction.atomic():
        locked = lock(ticket)
        check_version(locked, expected_version)
        reason = rights.why_not(actor, locked, action)
        if reason:
            raise ActionNotAllowed(reason)
        form = ActionForm(action, locked, data or {})
        if not form.is_valid():
            raise InvalidActionData(form.errors)
        if files:
            check_attachments(locked, files)
        return _apply(locked, action, actor, form, files, channel)


def lock(ticket):
    """The ticket's row, locked until the transaction ends, as it is now.

    No joins in the locking query: when PostgreSQL re-reads a row it waited for, it re-checks
    joined rows as they were before the wait, so a ticket whose state changed meanwhile would
    vanish from a joined query instead of coming back updated.
    """
    return Ticket.objects.select_for_update().get(pk=ticket.pk)


def _apply(ticket, action, actor, form, files, channel):
    values = form.cleaned_data
    change = TicketChange(ticket, actor)
    change.record(
        EventKind.ACTION,
        {
            "action": action.slug,
            "name": action.name,
            "values": {
                f.key: to_json(values.get(f.key)) for f in form.action_fields if f.key in values
            },
        },
    )
    message = _write_message(change, action, actor, values.get(MESSAGE, ""), channel)
    if files:
        store_attachments(ticket, message, files, uploaded_by=actor)

    for action_field in form.action_fields:
        if action_field.key not in values:
            continue
        value = values[action_field.key]
        if value in ("", []):
            value = None  # an optional field left empty records nothing, not an empty value
        if action_field.target == FieldTarget.CUSTOM:
            change.set_custom_field(action_field.key, value)
        elif value is not None:
            change.set_attribute(action_field.target, value)

    _assign(change, action, actor, values)
    _assign_to_service(change)
    if action.to_state:
        change.set_state(ticket.workflow.state(action.to_state))
    if action.deletes:
        change.delete()
    events = change.save()
    return Outcome(ticket=ticket, message=message, events=events)


def _write_message(change, action, actor, text, channel):
    if action.writes == Writes.NOTHING or not text.strip():
        return None
    is_customer = access.is_customer_of(actor, change.ticket) and not access.is_agent(actor)
    kind = MessageKind.NOTE if action.writes == Writes.NOTE else MessageKind.REPLY
    if is_customer:
        # A customer never writes internal notes, whatever the configuration says.
        kind = MessageKind.REPLY
    guest = isinstance(actor, access.Guest)
    return change.add_message(
        kind,
        text,
        channel=channel,
        from_customer=is_customer,
        author=None if guest else actor,
        author_email=actor.email if guest else "",
        author_name=actor.name if guest else "",
    )


def _assign(change, action, actor, values):
    ticket = change.ticket
    match action.assignment:
        case Assignment.TAKE:
            change.assign(actor, ticket.assigned_group)
        case Assignment.CHOOSE_USER:
            change.assign(values[ASSIGN_USER], ticket.assigned_group)
        case Assignment.CHOOSE_GROUP:
            change.assign(None, values[ASSIGN_GROUP])
        case Assignment.FIXED_GROUP:
            change.assign(None, action.assign_group)
        case Assignment.ROUND_ROBIN:
            change.assign(next_in_turn(action.assign_group), action.assign_group)
        case Assignment.UNASSIGN:
            change.assign(None, None)


def _assign_to_service(change):
    """A ticket that gets a service and has nobody responsible goes to the service's responsible
    user or group (R-SL3)."""
    ticket = change.ticket
    service = ticket.service if ticket.service_id else None
    if service is None or ticket.assignee_id or ticket.assigned_group_id:
        return
    if service.responsible_user_id or service.responsible_group_id:
        change.assign(service.responsible_user, service.responsible_group)


def next_in_turn(group):
    """The group's next agent after the one who got the last ticket, wrapping around."""
    from .forms import agents

    members = list(agents(group).order_by("pk"))
    if not members:
        raise NoAgentAvailable(
            _("Nobody in the group “%(group)s” can take tickets.") % {"group": group.name}
        )
    AssignmentCursor.objects.get_or_create(group=group)
    cursor = AssignmentCursor.objects.select_for_update().get(group=group)
    following = [m for m in members if cursor.last_user_id is None or m.pk > cursor.last_user_id]
    chosen = (following or members)[0]
    cursor.last_user = chosen
    cursor.save(update_fields=["last_user"])
    return chosen
