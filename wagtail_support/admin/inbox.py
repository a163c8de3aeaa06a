"""The agent's inbox: built-in lists, filters on an allowlist of fields, sortable columns."""

import django_filters
from django.db import connections
from django.db.models import Case, Expression, F, IntegerField, Q, Value, When
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.views.generic.base import BaseListingView

from .. import access, saved_filters, search
from ..conf import support_settings
from ..ids import checked_ids
from ..lists import BUILT_IN_LISTS, desk_tickets
from ..models import Complexity, Kind, Priority, Ticket
from ..paging import CappedPaginator
from . import inbox_choices
from .bulk_views import BulkForm
from .date_widgets import DateRangeWidget
from .filter_views import SaveFilterForm
from .inbox_choices import (
    CheckboxSelectMultiple,
    HiddenInput,
    NullBooleanSelect,
    Select,
    TextInput,
)
from .inbox_rows import (
    AssigneeColumn,
    CustomerColumn,
    DueColumn,
    InboxTable,
    NumberColumn,
    Page,
    PriorityColumn,
    SelectColumn,
    StateColumn,
    TextColumn,
    WhenColumn,
    board_cards,
    list_items,
)
from .pages import require_agent


def custom_field_keys():
    """Keys that actions and contact forms write into custom fields: the only keys the inbox
    lets anyone filter on."""
    return list(inbox_choices.choices().custom_fields)


def state_rank(using):
    """Each ticket's state's ``sort_order``: on PostgreSQL the ticket's own ``state_rank``, which
    triggers keep and two indexes serve (migration 0026); elsewhere a CASE over its state, from
    the few kept state rows (sorting on the joined state table would join every ticket first)."""
    if connections[using].vendor == "postgresql":
        return StateRank()
    ranks = inbox_choices.choices().state_ranks
    return Case(
        *(When(state_id=pk, then=Value(order)) for pk, order in ranks.items()),
        default=Value(0),
        output_field=IntegerField(),
    )


class StateRank(Expression):
    """The triggers' ``state_rank`` column, not a model field: Django never loads or saves it."""

    output_field = IntegerField()

    def __init__(self, alias=None):
        super().__init__()
        self.alias = alias

    def resolve_expression(self, query=None, *args, **kwargs):
        return StateRank(query.get_initial_alias())

    def relabeled_clone(self, change_map):
        return StateRank(change_map.get(self.alias, self.alias))

    def as_sql(self, compiler, connection):
        return f"{connection.ops.quote_name(self.alias)}.state_rank", []


VIEW_MODES = {"table": _("Table"), "list": _("List"), "board": _("Board")}


@checked_ids
class TicketFilterSet(WagtailFilterSet):
    # Choices come from the per-process copy of the configuration (inbox_choices): the drawer
    # shows them on every request. Values are primary keys, checked against those choices.
    state = django_filters.MultipleChoiceFilter(
        label=_("State"),
        choices=lambda: inbox_choices.choices().states,
        widget=CheckboxSelectMultiple,
        # A ticket has one state: no join can repeat a row, and DISTINCT would make PostgreSQL
        # annotate and sort every matching ticket before it takes one page.
        distinct=False,
    )
    source = django_filters.ChoiceFilter(
        label=_("Source"), choices=lambda: inbox_choices.choices().sources, widget=Select
    )
    assignee = django_filters.ChoiceFilter(
        label=_("Assignee"), choices=lambda: inbox_choices.choices().agents, widget=Select
    )
    assigned_group = django_filters.ChoiceFilter(
        label=_("Group"), choices=lambda: inbox_choices.choices().groups, widget=Select
    )
    category = django_filters.ChoiceFilter(
        label=_("Category"),
        choices=lambda: inbox_choices.choices().categories,
        widget=Select,
    )
    priority = django_filters.MultipleChoiceFilter(
        label=_("Priority"),
        choices=Priority.choices,
        widget=CheckboxSelectMultiple,
        distinct=False,  # one priority per ticket, as for the state
    )
    complexity = django_filters.ChoiceFilter(
        label=_("Complexity"), choices=Complexity.choices, widget=Select
    )
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=Kind.choices, widget=Select)
    last_activity_at = django_filters.DateFromToRangeFilter(
        label=_("Updated"), widget=DateRangeWidget
    )
    field = django_filters.ChoiceFilter(
        label=_("Field of an action"),
        choices=custom_field_keys,
        method="filter_field",
        widget=Select,
    )
    field_value = django_filters.CharFilter(
        label=_("Its value contains"), method="filter_nothing", widget=TextInput
    )
    created_at = django_filters.DateFromToRangeFilter(label=_("Created"), widget=DateRangeWidget)
    customer = django_filters.CharFilter(
        label=_("Customer"),
        method="filter_customer",
        help_text=_("Name or e-mail address"),
        widget=TextInput,
    )
    service = django_filters.ChoiceFilter(
        label=_("Service"), choices=lambda: inbox_choices.choices().services, widget=Select
    )
    service_level = django_filters.ChoiceFilter(
        label=_("Service level"),
        choices=lambda: inbox_choices.choices().service_levels,
        widget=Select,
    )
    breached = django_filters.BooleanFilter(
        label=_("SLA breached"), method="filter_breached", widget=NullBooleanSelect
    )

    class Meta:
        model = Ticket
        fields = []

    def filter_field(self, queryset, name, key):
        # ``key`` comes from the choices (keys that actions define), never from the client as is.
        value = self.form.cleaned_data.get("field_value")
        if value:
            return queryset.filter(**{f"custom_fields__{key}__icontains": value})
        return queryset.filter(**{"custom_fields__has_key": key})

    def filter_nothing(self, queryset, name, value):
        return queryset  # used together with "field"

    def filter_breached(self, queryset, name, value):
        breached = (
            Q(first_response_breached=True)
            | Q(next_response_breached=True)
            | Q(resolution_breached=True)
        )
        return queryset.filter(breached) if value else queryset.exclude(breached)

    def filter_customer(self, queryset, name, value):
        return queryset.filter(pk__in=search.customer_ticket_ids(value))


class InboxBulkForm(BulkForm):
    """The bulk form as the inbox shows it, its choices from the kept configuration: the
    bulk view, which receives it, builds a ``BulkForm`` from the tables to validate."""

    def __init__(self, kept):
        super(BulkForm, self).__init__()  # BulkForm's own reads the actions table
        fields = self.fields
        assignee, action, operation = fields["assignee"], fields["action"], fields["operation"]
        assignee.widget, action.widget = Select(), Select()
        operation.widget = Select(choices=operation.choices)
        assignee.choices = [("", assignee.empty_label), *kept.agents]
        action.choices = [("", "---------"), *kept.bulk_actions]


class InboxView(BaseListingView):
    template_name = "wagtail_support/admin/inbox.html"
    results_template_name = "wagtail_support/admin/inbox_results.html"
    index_url_name = "support_desk:inbox"
    index_results_url_name = "support_desk:inbox_results"
    page_title = _("Inbox")
    header_icon = "mail"
    filterset_class = TicketFilterSet
    table_class = InboxTable
    is_searchable = True
    # Urgent first, then the oldest: a critical request never drowns under easy ones (R-DK8).
    default_ordering = ("-priority", "created_at")
    columns = [
        SelectColumn("select", label=""),
        NumberColumn(
            "number",
            label=_("Number"),
            sort_key="number",
            url_name="support_desk:ticket",
        ),
        TextColumn("subject", label=_("Subject"), sort_key="subject"),
        CustomerColumn("customer_display", label=_("Customer")),
        StateColumn("state", label=_("State"), sort_key="state__sort_order"),
        AssigneeColumn("assignee", label=_("Assignee")),
        PriorityColumn("priority", label=_("Priority"), sort_key="priority"),
        DueColumn("sla_due", label=_("Due"), sort_key="sla_due"),
        WhenColumn("last_activity_at", label=_("Updated"), sort_key="last_activity_at"),
        WhenColumn("created_at", label=_("Created"), sort_key="created_at"),
    ]

    @classmethod
    def columns_orderings(cls):
        keys = [column.sort_key for column in cls.columns if column.sort_key]
        return {*keys, *(f"-{key}" for key in keys)}

    def dispatch(self, request, *args, **kwargs):
        require_agent(request.user)
        return super().dispatch(request, *args, **kwargs)

    def order_queryset(self, queryset):
        if self.ordering in ("sla_due", "-sla_due"):
            # At risk first: the nearest due time, tickets without a running clock last.
            due = F("sla_due").asc(nulls_last=True)
            if self.ordering == "-sla_due":
                due = F("sla_due").desc(nulls_last=True)
            return queryset.order_by(due, "-priority", "created_at")
        if self.ordering in ("state__sort_order", "-state__sort_order"):
            rank = state_rank(queryset.db)
            if self.ordering.startswith("-"):
                # The whole list reversed, so that one index read backwards serves it.
                return queryset.order_by(rank.desc(), "priority", "-created_at")
            return queryset.order_by(rank.asc(), "-priority", "created_at")
        return super().order_queryset(queryset)

    def paginate_queryset(self, queryset, page_size):
        """A page in two steps: the page's ids, chosen by a narrow query (ticket columns only,
        sorted without joins or per-row annotations), then those rows with everything a row
        shows. Sorting on a column no index serves then sorts ids, not whole joined rows."""
        paginator, page, object_list, is_paginated = super().paginate_queryset(queryset, page_size)
        ids = list(object_list)  # the capped paginator's query chose them
        rows = {ticket.pk: ticket for ticket in queryset.order_by().filter(pk__in=ids)}
        page.object_list = [rows[pk] for pk in ids if pk in rows]
        return paginator, page, page.object_list, is_paginated

    def get_paginate_by(self, queryset):
        return support_settings.PAGE_SIZE

    @cached_property
    def list_key(self):
        key = self.request.GET.get("list", "all")
        return key if key in BUILT_IN_LISTS else "all"

    @cached_property
    def view_mode(self):
        mode = self.request.GET.get("view", "table")
        return mode if mode in VIEW_MODES else "table"

    def get_base_queryset(self):
        return desk_tickets(self.request.user, self.list_key)

    def search_queryset(self, queryset):
        return search.search(queryset, self.search_query) if self.is_searching else queryset

    def get_paginator(self, *args, **kwargs):
        return CappedPaginator(*args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        inbox = reverse("support_desk:inbox")
        context["lists"] = [
            {"key": key, "label": label, "url": f"{inbox}?list={key}"}
            for key, (label, _condition) in BUILT_IN_LISTS.items()
        ]
        context["current_list"] = self.list_key
        context["saved_filters"] = [
            {"name": saved.name, "url": saved_filters.url(saved)}
            for saved in saved_filters.panel(self.request.user)
        ]
        kept = inbox_choices.choices()
        save_form = SaveFilterForm(initial={"query": self.request.GET.urlencode()})
        # Only shown here (the views that receive the forms validate against the tables), so
        # their choices come from the kept configuration, without a query.
        save_form.fields["groups"].choices = kept.groups
        for name, widget_class in (("name", TextInput), ("query", HiddenInput)):
            field = save_form.fields[name]
            field.widget = widget_class(attrs=field.widget.attrs)
        context["save_filter_form"] = save_form
        context["view_mode"] = self.view_mode
        context["bulk_form"] = InboxBulkForm(kept)
        context["view_modes"] = [
            {"key": key, "label": label, "url": self._url_with(inbox, view=key)}
            for key, label in VIEW_MODES.items()
        ]
        if self.view_mode == "list":
            context["list_html"] = list_items(context["object_list"])
        elif self.view_mode == "board":
            columns = {}
            for ticket in context["object_list"]:
                columns.setdefault(ticket.state, []).append(ticket)
            context["board"] = sorted(columns.items(), key=lambda item: item[0].sort_order or 0)
            page = Page()
            context["board_columns"] = [
                (state, len(tickets), board_cards(tickets, page))
                for state, tickets in context["board"]
            ]
        context["is_agent"] = access.is_agent(self.request.user)
        return context

    def _url_with(self, inbox, **changes):
        query = self.request.GET.copy()
        query.pop(self.page_kwarg, None)
        for key, value in changes.items():
            query[key] = value
        return f"{inbox}?{query.urlencode()}"


class InboxResultsView(InboxView):
    results_only = True
