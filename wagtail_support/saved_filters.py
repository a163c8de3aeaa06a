"""Saved inbox filters and each agent's panel of them (R-DK1).

Criteria are the inbox's own query parameters, kept only for allowlisted keys and only when the
inbox's filter form accepts them, so a saved filter can never smuggle an ORM lookup or a sort key
the inbox does not offer.
"""

from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.http import QueryDict
from django.urls import reverse
from django.utils.translation import gettext as _

from .ids import parse_ids
from .lists import BUILT_IN_LISTS
from .models import FilterPanelEntry, SavedFilter, Sharing


def _filterset_class():
    from .admin.inbox import TicketFilterSet

    return TicketFilterSet


def allowed_keys():
    filterset = _filterset_class()
    keys = {"list", "q", "ordering", "view"}
    for name, filter_ in filterset.base_filters.items():
        # The widget given to the filter names the parameters; the field's own widget otherwise.
        suffixes = getattr(filter_.extra.get("widget"), "suffixes", None) or getattr(
            filter_.field_class.widget, "suffixes", None
        )
        if suffixes:  # range filters arrive as name_<suffix> parameters
            keys |= {f"{name}_{suffix}" for suffix in suffixes}
        else:
            keys.add(name)
    return keys


def clean_criteria(query):
    """The allowlisted, non-empty parameters of ``query`` (a QueryDict), validated."""
    from .admin.inbox import VIEW_MODES, InboxView

    criteria = {
        key: [value for value in query.getlist(key) if value.strip()]
        for key in sorted(allowed_keys())
        if key in query
    }
    criteria = {key: values for key, values in criteria.items() if values}
    if not criteria:
        raise ValidationError(_("Choose a list, a filter or a search before saving it."))
    if criteria.get("list", ["all"])[0] not in BUILT_IN_LISTS:
        raise ValidationError(_("Unknown list."))
    if criteria.get("view", ["table"])[0] not in VIEW_MODES:
        raise ValidationError(_("Unknown view."))
    ordering = criteria.get("ordering")
    if ordering and ordering[0] not in InboxView.columns_orderings():
        raise ValidationError(_("Unknown sort order."))
    data = QueryDict(mutable=True)
    for key, values in criteria.items():
        data.setlist(key, values)
    filterset = _filterset_class()(data=data)
    if not filterset.is_valid():
        raise ValidationError(
            [f"{field}: {' '.join(errors)}" for field, errors in filterset.errors.items()]
        )
    return criteria


def url(saved_filter):
    # Sorted: a JSON column may hand the keys back in another order.
    query = urlencode(sorted(saved_filter.criteria.items()), doseq=True)
    return f"{reverse('support_desk:inbox')}?{query}"


@transaction.atomic
def save_filter(user, name, query, sharing=Sharing.PERSONAL, groups=()):
    saved = SavedFilter.objects.create(
        name=name, owner=user, sharing=sharing, criteria=clean_criteria(query)
    )
    if sharing == Sharing.GROUPS:
        saved.groups.set(groups)
    add_to_panel(user, saved)
    return saved


def panel(user):
    """The user's panel, in their order, leaving out filters no longer shared with them."""
    usable = SavedFilter.objects.for_user(user).values("pk")
    return [
        entry.saved_filter
        for entry in FilterPanelEntry.objects.filter(user=user, saved_filter__in=usable)
        .select_related("saved_filter")
        .order_by("position", "pk")
    ]


def add_to_panel(user, saved_filter):
    if not SavedFilter.objects.for_user(user).filter(pk=saved_filter.pk).exists():
        raise ValidationError(_("This filter is not shared with you."))
    last = FilterPanelEntry.objects.filter(user=user).aggregate(last=Max("position"))["last"]
    FilterPanelEntry.objects.get_or_create(
        user=user, saved_filter=saved_filter, defaults={"position": (last or 0) + 1}
    )


def remove_from_panel(user, saved_filter):
    FilterPanelEntry.objects.filter(user=user, saved_filter=saved_filter).delete()


@transaction.atomic
def reorder_panel(user, filter_ids):
    """Puts the panel in the given order; unknown ids are ignored, entries not named keep their
    relative order after the named ones."""
    entries = {e.saved_filter_id: e for e in FilterPanelEntry.objects.filter(user=user)}
    ordered = []
    for filter_id in parse_ids(filter_ids):
        if filter_id in entries:
            ordered.append(entries.pop(filter_id))
    ordered += sorted(entries.values(), key=lambda e: (e.position, e.pk))
    for position, entry in enumerate(ordered, start=1):
        entry.position = position
    FilterPanelEntry.objects.bulk_update(ordered, ["position"])


def delete_filter(user, saved_filter):
    if saved_filter.owner_id != user.pk:
        raise ValidationError(_("Only the filter's owner can delete it."))
    saved_filter.delete()
