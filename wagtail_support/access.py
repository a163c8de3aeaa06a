"""Who is who, and who sees which ticket. Every list, page and service asks here; nothing else
decides visibility.

- Agents (superusers, or users with ``wagtail_support.work_on_tickets``) see tickets in states
  that are visible to one of their groups (a state with no groups is visible to every agent),
  plus the tickets assigned to them or to one of their groups.
  ``wagtail_support.view_all_tickets`` sees every state.
- Customers see their own tickets, and nothing else.
- Deleted tickets are in nobody's lists.
"""

from dataclasses import dataclass

from django.db.models import Q

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


def hidden_state_ids(user):
    """States restricted to groups the user is in none of, fetched once per user object.

    Resolved here from the few state rows rather than as a subquery per ticket, so the ticket
    query holds only column conditions: the planner can use indexes and parallel plans, and
    when no state is hidden from the user it needs no condition at all."""
    cached = getattr(user, "_support_hidden_state_ids", None)
    if cached is None:
        restricted = State.objects.filter(visible_to_groups__isnull=False)
        known_groups = getattr(user, "_support_group_ids", None)
        if known_groups is None:
            # One query either way: the user's groups are joined rather than fetched first.
            hidden = restricted.exclude(visible_to_groups__user=user)
        else:
            hidden = restricted.exclude(visible_to_groups__in=known_groups)
        cached = frozenset(hidden.values_list("pk", flat=True))
        user._support_hidden_state_ids = cached
    return cached


def visible_tickets(user, *, as_customer=False):
    """The tickets ``user`` may see: as an agent (the desk), or only their own (``as_customer``,
    the portal)."""
    tickets = Ticket.objects.alive()
    if user is None or not user.is_authenticated or not user.is_active:
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
