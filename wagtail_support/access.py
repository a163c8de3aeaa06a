"""Who is who, and who sees which ticket. Every list, page and service asks here; nothing else
decides visibility.

- Agents (superusers, or users with ``wagtail_support.work_on_tickets``) see tickets in states
  that are visible to one of their groups (a state with no groups is visible to every agent),
  plus the tickets assigned to them or to one of their groups.
  ``wagtail_support.view_all_tickets`` sees every state.
- Customers see their own tickets, and nothing else.
- Deleted tickets are in nobody's lists but the trash's (``trashed=True``, for those who may
  manage it).
"""

from dataclasses import dataclass

from django.db.models import Q

from .kept import Kept
from .models import State, Ticket


@dataclass(frozen=True)
class Guest:
    """A customer without an account, known by the address they wrote from."""

    email: str
    name: str = ""
    is_authenticated = False
    is_active = True
    pk = None
    id = None


def is_agent(user):
    return bool(
        user is not None
        and user.is_authenticated
        and user.is_active
        and (user.is_superuser or user.has_perm("wagtail_support.work_on_tickets"))
    )


def sees_all_states(user):
    return bool(
        user.is_authenticated
        and user.is_active
        and (user.is_superuser or user.has_perm("wagtail_support.view_all_tickets"))
    )


def group_ids(user):
    """The user's group ids, fetched once per user object."""
    if not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_support_group_ids", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("pk", flat=True))
        user._support_group_ids = cached
    return cached


def _load_restricted():
    through = State.visible_to_groups.through
    restricted = {}
    for state_id, group_id in through.objects.values_list("state_id", "group_id"):
        restricted.setdefault(state_id, set()).add(group_id)
    return {pk: frozenset(groups) for pk, groups in restricted.items()}


# State pk -> the groups it is restricted to: configuration every desk request reads and admins
# change a few times a year, so it is kept per process (``kept.py``) rather than queried.
_restricted = Kept("wagtail_support:restricted-states", _load_restricted)
forget = _restricted.forget


def hidden_state_ids(user):
    """States restricted to groups the user is in none of, worked out once per user object.

    Resolved here from the few state rows rather than as a subquery per ticket, so the ticket
    query holds only column conditions: the planner can use indexes and parallel plans, and
    when no state is hidden from the user it needs no condition at all. With no restricted
    state (most desks) it costs no query; otherwise the user's groups, once."""
    cached = getattr(user, "_support_hidden_state_ids", None)
    if cached is None:
        restricted = _restricted.get()
        mine = group_ids(user) if restricted else frozenset()
        cached = frozenset(pk for pk, groups in restricted.items() if not groups & mine)
        user._support_hidden_state_ids = cached
    return cached


def connect():
    from django.contrib.auth.models import Group
    from django.db.models.signals import m2m_changed, post_delete, post_save

    # A deleted group leaves its states' restriction without a signal of its own.
    for model in (State, Group):
        name = model.__name__
        post_save.connect(_restricted.forget, sender=model, dispatch_uid=f"ws-hidden-save-{name}")
        post_delete.connect(
            _restricted.forget, sender=model, dispatch_uid=f"ws-hidden-delete-{name}"
        )
    m2m_changed.connect(
        _restricted.forget,
        sender=State.visible_to_groups.through,
        dispatch_uid="ws-hidden-state-groups",
    )


def visible_tickets(user, *, as_customer=False, trashed=False):
    """The tickets ``user`` may see: as an agent (the desk), or only their own (``as_customer``,
    the portal). Deleted tickets only with ``trashed``, and then only to agents who may manage
    the trash, and only those their visibility would show them alive."""
    tickets = Ticket.objects.trashed() if trashed else Ticket.objects.alive()
    if user is None or not user.is_authenticated or not user.is_active:
        return tickets.none()
    if trashed and (as_customer or not user.has_perm("wagtail_support.manage_trash")):
        return tickets.none()
    if as_customer:
        return tickets.filter(customer=user)
    if not is_agent(user):
        return tickets.none()
    if sees_all_states(user):
        return tickets
    hidden = hidden_state_ids(user)
    if not hidden:
        return tickets
    mine = Q(assignee=user) | Q(assigned_group_id__in=group_ids(user))
    return tickets.filter(~Q(state_id__in=sorted(hidden)) | mine)


def can_see(user, ticket, *, as_customer=False):
    return visible_tickets(user, as_customer=as_customer).filter(pk=ticket.pk).exists()


def is_customer_of(actor, ticket):
    """The ticket's own customer: their account, or for a guest ticket their address."""
    if isinstance(actor, Guest):
        return ticket.customer_id is None and (
            actor.email.strip().lower() == ticket.customer_email.strip().lower() != ""
        )
    return actor is not None and actor.is_authenticated and ticket.customer_id == actor.pk
