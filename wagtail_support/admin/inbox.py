"""The agent's inbox: built-in lists, filters on an allowlist of fields, sortable columns."""

import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.views.generic.base import BaseListingView

from .. import access, saved_filters
from ..conf import support_settings
from ..lists import BUILT_IN_LISTS, desk_tickets
from ..models import (
    ActionField,
    Category,
    Complexity,
    ContactFieldType,
    ContactFormField,
    Kind,
    Message,
    Priority,
    Service,
    ServiceLevel,
    Source,
    State,
    Ticket,
)
from ..workflows.forms import agents
from ..workflows.models import FieldTarget
from .bulk_views import BulkForm
from .filter_views import SaveFilterForm
from .pages import require_agent


def custom_field_keys():
    """Keys that actions and contact forms write into custom fields: the only keys the inbox
    lets anyone filter on."""
    keys = dict(ActionField.objects.filter(target=FieldTarget.CUSTOM).values_list("key", "label"))
    built_in = (ContactFieldType.CATEGORY, ContactFieldType.PRIORITY)
    form_keys = ContactFormField.objects.exclude(field_type__in=built_in)
    keys.update(form_keys.values_list("key", "label"))
    return sorted(keys.items())


def matching_ticket_ids(text):
    """Ids of tickets whose number is ``text`` or whose subject, customer or messages contain it.

    One union of narrow queries, each served by its own index on PostgreSQL (trigram indexes
    on the upper-cased columns, migration 0018), instead of one OR over the ticket table, which
    the planner can only answer by reading every ticket."""
    users = get_user_model().objects.filter(
        Q(email__icontains=text)
        | Q(username__icontains=text)
        | Q(first_name__icontains=text)
        | Q(last_name__icontains=text)
    )
    tickets = Ticket.objects.values_list("pk", flat=True)
    return (
        tickets.filter(number__iexact=text)
        .union(
            tickets.filter(subject__icontains=text),
            tickets.filter(customer_email__icontains=text),
            tickets.filter(customer_name__icontains=text),
            tickets.filter(customer__in=users.values("pk")),
            Message.objects.filter(text__icontains=text).values_list("ticket_id", flat=True),
        )
    )


VIEW_MODES = {"table": _("Table"), "list": _("List"), "board": _("Board")}


class TicketFilterSet(WagtailFilterSet):
    state = django_filters.ModelMultipleChoiceFilter(
        label=_("State"),
        queryset=State.objects.select_related("workflow").order_by("workflow__name", "sort_order"),
        widget=forms.CheckboxSelectMultiple,
        # A ticket has one state: no join can repeat a row, and DISTINCT would make PostgreSQL
        # annotate and sort every matching ticket before it takes one page.
        distinct=False,
    )
    source = django_filters.ModelChoiceFilter(label=_("Source"), queryset=Source.objects.all())
    assignee = django_filters.ModelChoiceFilter(label=_("Assignee"), queryset=agents())
    assigned_group = django_filters.ModelChoiceFilter(
        label=_("Group"), queryset=Group.objects.order_by("name")
    )
    category = django_filters.ModelChoiceFilter(
        label=_("Category"), queryset=Category.objects.all()
    )
    priority = django_filters.MultipleChoiceFilter(
        label=_("Priority"),
        choices=Priority.choices,
        widget=forms.CheckboxSelectMultiple,
        distinct=False,  # one priority per ticket, as for the state
    )
    complexity = django_filters.ChoiceFilter(label=_("Complexity"), choices=Complexity.choices)
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=Kind.choices)
    last_activity_at = django_filters.DateFromToRangeFilter(
        label=_("Updated"), widget=DateRangePickerWidget
    )
    field = django_filters.ChoiceFilter(
        label=_("Field of an action"), choices=custom_field_keys, method="filter_field"
    )
    field_value = django_filters.CharFilter(label=_("Its value contains"), method="filter_nothing")
    created_at = django_filters.DateFromToRangeFilter(
        label=_("Created"), widget=DateRangePickerWidget
    )
    customer = django_filters.CharFilter(
        label=_("Customer"), method="filter_customer", help_text=_("Name or e-mail address")
    )
    service = django_filters.ModelChoiceFilter(label=_("Service"), queryset=Service.objects.all())
    service_level = django_filters.ModelChoiceFilter(
        label=_("Service level"), queryset=ServiceLevel.objects.all()
    )
    breached = django_filters.BooleanFilter(
        label=_("SLA breached"), method="filter_breached", widget=forms.NullBooleanSelect
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
        return queryset.filter(
            Q(customer_email__icontains=value)
            | Q(customer_name__icontains=value)
            | Q(customer__email__icontains=value)
        )


class StateColumn(Column):
    cell_template_name = "wagtail_support/admin/state_cell.html"


class DueColumn(Column):
    """Time left before the ticket's earliest SLA target, or how long it is overdue (R-DK8)."""

    cell_template_name = "wagtail_support/admin/due_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        due, now = instance.sla_due, timezone.now()
        context["now"] = now
        context["overdue"] = due is not None and due <= now
        context["paused"] = instance.sla_paused
        return context


class SelectColumn(Column):
    """A checkbox per row, bound to the bulk form above the table by its ``form`` attribute."""

    cell_template_name = "wagtail_support/admin/select_cell.html"
    header_template_name = "wagtail_support/admin/select_header.html"


class InboxView(BaseListingView):
    template_name = "wagtail_support/admin/inbox.html"
    results_template_name = "wagtail_support/admin/inbox_results.html"
    index_url_name = "support_desk:inbox"
    index_results_url_name = "support_desk:inbox_results"
    page_title = _("Inbox")
    header_icon = "mail"
    filterset_class = TicketFilterSet
    is_searchable = True
    # Urgent first, then the oldest: a critical request never drowns under easy ones (R-DK8).
    default_ordering = ("-priority", "created_at")
    columns = [
        SelectColumn("select", label=""),
        TitleColumn(
            "number",
            label=_("Number"),
            sort_key="number",
            url_name="support_desk:ticket",
        ),
        Column("subject", label=_("Subject"), sort_key="subject"),
        Column("customer_display", label=_("Customer")),
        StateColumn("state", label=_("State"), sort_key="state__sort_order"),
        Column("assignee", label=_("Assignee")),
        Column("get_priority_display", label=_("Priority"), sort_key="priority"),
        DueColumn("sla_due", label=_("Due"), sort_key="sla_due"),
        DateColumn("last_activity_at", label=_("Updated"), sort_key="last_activity_at"),
        DateColumn("created_at", label=_("Created"), sort_key="created_at"),
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
        return super().order_queryset(queryset)

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
        if not self.is_searching:
            return queryset
        return queryset.filter(pk__in=matching_ticket_ids(self.search_query))

    def get_table(self, object_list):
        table = super().get_table(object_list)
        table.get_row_classname = lambda ticket: "ws-unread" if ticket.is_unread else ""
        return table

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["lists"] = [
            {"key": key, "label": label, "url": f"{reverse('support_desk:inbox')}?list={key}"}
            for key, (label, _condition) in BUILT_IN_LISTS.items()
        ]
        context["current_list"] = self.list_key
        context["saved_filters"] = [
            {"name": saved.name, "url": saved_filters.url(saved)}
            for saved in saved_filters.panel(self.request.user)
        ]
        context["save_filter_form"] = SaveFilterForm(
            initial={"query": self.request.GET.urlencode()}
        )
        context["view_mode"] = self.view_mode
        context["bulk_form"] = BulkForm(self.request.user)
        context["view_modes"] = [
            {"key": key, "label": label, "url": self._url_with(view=key)}
            for key, label in VIEW_MODES.items()
        ]
        if self.view_mode == "board":
            columns = {}
            for ticket in context["object_list"]:
                columns.setdefault(ticket.state, []).append(ticket)
            context["board"] = sorted(columns.items(), key=lambda item: item[0].sort_order or 0)
        context["is_agent"] = access.is_agent(self.request.user)
        return context

    def _url_with(self, **changes):
        query = self.request.GET.copy()
        query.pop(self.page_kwarg, None)
        for key, value in changes.items():
            query[key] = value
        return f"{reverse('support_desk:inbox')}?{query.urlencode()}"


class InboxResultsView(InboxView):
    results_only = True
