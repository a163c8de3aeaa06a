"""Operations on several tickets at once from the inbox. Each ticket still changes through the
engine (or tracking), one transaction per ticket; nothing starts unless every ticket allows it."""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from . import access, spam_flags, tracking
from .workflows import rights
from .workflows.engine import WorkflowError, perform
from .workflows.models import Assignment


@dataclass
class BulkResult:
    done: list = field(default_factory=list)
    refused: dict = field(default_factory=dict)  # ticket number -> reason


def _tickets(user, ids):
    return list(
        access.visible_tickets(user)
        .filter(pk__in=ids)
        .select_related("state", "workflow")
        .order_by("pk")
    )


def _action_for(user, ticket, slug=None, assignment=None):
    """The action to perform: by slug, or the first one with this kind of assignment."""
    for action in rights.available_actions(user, ticket):
        if slug is not None and action.slug == slug:
            return action
        if (
            assignment is not None
            and action.assignment == assignment
            and not action.message_required
        ):
            return action
    return None


def run(user, ids, operation, *, action_slug=None, assignee=None):
    """``operation``: "follow", "take", "assign" (to ``assignee``), "action" (``action_slug``,
    for actions that ask for nothing), "spam", "spam_block" (and block the senders) or
    "not_spam"."""
    tickets = _tickets(user, ids)
    result = BulkResult()
    if operation == "follow":
        for ticket in tickets:
            tracking.follow(ticket, user)
            result.done.append(ticket.number)
        return result
    if operation in SPAM_OPERATIONS:
        return _spam(user, tickets, operation, result)

    plan = []
    for ticket in tickets:
        if operation == "take":
            action = _action_for(user, ticket, assignment=Assignment.TAKE)
        elif operation == "assign":
            action = _action_for(user, ticket, assignment=Assignment.CHOOSE_USER)
        else:
            action = _action_for(user, ticket, slug=action_slug)
            if action is not None and (action.message_required or action.fields.exists()):
                result.refused[ticket.number] = _("“%(action)s” needs input; open the ticket.") % {
                    "action": action.name
                }
                continue
        if action is None:
            result.refused[ticket.number] = _("Not possible on this ticket now.")
        else:
            plan.append((ticket, action))
    if result.refused:
        return result  # all or nothing: the agent picks again rather than half a batch

    data = {"assign_user": assignee.pk} if operation == "assign" and assignee else {}
    for ticket, action in plan:
        try:
            perform(ticket, action, user, data, expected_version=ticket.version)
        except WorkflowError as error:
            result.refused[ticket.number] = str(error)
        else:
            result.done.append(ticket.number)
    return result


SPAM_OPERATIONS = {"spam", "spam_block", "not_spam"}


def _spam(user, tickets, operation, result):
    is_spam = operation != "not_spam"
    for ticket in tickets:
        reason = spam_flags.why_not(user, ticket, is_spam)
        if reason:
            result.refused[ticket.number] = reason
    if result.refused:
        return result
    for ticket in tickets:
        try:
            if is_spam:
                spam_flags.mark(
                    ticket,
                    user,
                    block_sender=operation == "spam_block",
                    expected_version=ticket.version,
                )
            else:
                spam_flags.release(ticket, user, expected_version=ticket.version)
        except WorkflowError as error:
            result.refused[ticket.number] = str(error)
        else:
            result.done.append(ticket.number)
    return result
