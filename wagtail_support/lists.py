"""The querysets ticket lists show, built in one place: visibility from ``access``, then the
built-in list, then annotations for everything a row displays, so a page of rows costs the same
few queries however long the list is."""

from django.db.models import Exists, OuterRef, Q, Subquery
from django.db.models.functions import Substr
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import access
from .models import Follow, Message, MessageKind, ReadMark


def _unread(user):
    read = ReadMark.objects.filter(
        ticket=OuterRef("pk"), user=user, read_at__gte=OuterRef("last_activity_at")
    )
    return ~Exists(read)


def _following(user):
    return Exists(Follow.objects.filter(ticket=OuterRef("pk"), user=user))


# key -> (label, filter); spam appears only in its own list.
BUILT_IN_LISTS = {
    "all": (_("All I may see"), lambda user: Q(is_spam=False)),
    "unread": (_("Unread"), lambda user: Q(is_spam=False, is_unread=True)),
    "mine": (_("Assigned to me"), lambda user: Q(is_spam=False, assignee=user)),
    "my-groups": (
        _("My groups"),
        lambda user: Q(is_spam=False, assigned_group__in=access.group_ids(user)),
    ),
    "unassigned": (
        _("Unassigned"),
        lambda user: Q(is_spam=False, assignee__isnull=True, assigned_group__isnull=True),
    ),
    "following": (_("Following"), lambda user: Q(_following(user), is_spam=False)),
    "overdue": (_("Overdue"), lambda user: Q(is_spam=False, sla_due__lte=timezone.now())),
    "spam": (_("Spam"), lambda user: Q(is_spam=True)),
}


def desk_tickets(user, list_key="all"):
    """What an agent's inbox shows for one built-in list, annotated for its rows."""
    _label, condition = BUILT_IN_LISTS.get(list_key, BUILT_IN_LISTS["all"])
    last_public = Message.objects.filter(ticket=OuterRef("pk"), kind=MessageKind.REPLY).order_by(
        "-created_at", "-pk"
    )
    return (
        access.visible_tickets(user)
        .annotate(
            is_unread=_unread(user),
            last_excerpt=Subquery(last_public.values(excerpt=Substr("text", 1, 160))[:1]),
        )
        .filter(condition(user))
        # Only what a row shows: each further join costs the planner more than the page costs.
        # (Following is a condition of its list, not a column: as a column PostgreSQL read all
        # of the agent's follows for every page.)
        .select_related("state", "assignee", "customer")
    )
