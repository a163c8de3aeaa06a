"""May this actor perform this action on this ticket now? One answer for buttons and for the
engine, so a button is never shown for an action the engine would refuse, or the reverse."""

from django.utils.translation import gettext as _

from .. import access
from .kept_actions import actions_of


def why_not(actor, ticket, action, *, visible=None):
    """None when ``actor`` may perform ``action`` on ``ticket``; otherwise the reason, in words
    fit to show the actor. ``visible``: whether the actor can see the ticket, if already known."""
    if action.workflow_id != ticket.workflow_id:
        return _("This action belongs to another workflow.")
    if ticket.deleted_at is not None:
        return _("This ticket is deleted.")
    if not action.is_offered_in(ticket.state.slug):
        return _("'%(action)s' is not available while the ticket is '%(state)s'.") % {
            "action": action.name,
            "state": ticket.state.name,
        }
    if access.is_customer_of(actor, ticket) and not access.is_agent(actor):
        if action.customer_may_perform:
            return None
        return _("Only the support team can do this.")
    return _why_not_agent(actor, ticket, action, visible)


def _why_not_agent(user, ticket, action, visible):
    if not access.is_agent(user):
        return _("You can't work on this ticket.")
    if visible is None:
        visible = access.can_see(user, ticket)
    if not visible:
        return _("You can't work on this ticket.")
    if not action.agents_may_perform:
        return _("Only the customer can do this.")
    if user.is_superuser:
        return None
    if action.required_permission and not user.has_perm(action.required_permission):
        return _("You don't have the permission this action needs.")
    allowed = {group.pk for group in action.allowed_groups.all()}
    if allowed and not allowed & access.group_ids(user):
        return _("Your groups may not perform '%(action)s'.") % {"action": action.name}
    if action.assignee_only and ticket.assignee_id and ticket.assignee_id != user.pk:
        return _("Only the assignee may perform '%(action)s'.") % {"action": action.name}
    return None


def available_actions(actor, ticket, *, visible=None):
    """The actions of the ticket's workflow this actor may perform now, in order. ``visible``:
    whether the actor can see the ticket as an agent, if already known."""
    actions = actions_of(ticket.workflow_id)
    if visible is None:
        visible = access.is_agent(actor) and access.can_see(actor, ticket)
    return [a for a in actions if why_not(actor, ticket, a, visible=visible) is None]
