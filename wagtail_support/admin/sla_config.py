"""Configuration screens for service levels: support schedules (hours and holidays edited
together), service levels (conditions and targets per priority) and the service catalog."""

from django import forms
from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import BooleanColumn, Column
from wagtail.admin.views.generic.models import IndexView

from ..models import Priority, Service, ServiceLevel, SupportSchedule
from ..models.sla import time_zone_choices
from .viewsets import IntegerKeyViewSet


class ScheduleForm(WagtailAdminModelForm):
    time_zone = forms.ChoiceField(label=_("Time zone"), choices=time_zone_choices)


class SupportScheduleViewSet(IntegerKeyViewSet):
    model = SupportSchedule
    icon = "time"
    menu_label = _("Support schedules")
    add_to_admin_menu = False
    list_display = ["name", Column("time_zone", label=_("Time zone")), "description"]
    search_fields = ["name"]
    edit_handler = ObjectList(
        [
            FieldRowPanel([FieldPanel("name"), FieldPanel("time_zone")]),
            FieldPanel("description"),
            InlinePanel(
                "hours",
                panels=[
                    FieldRowPanel([FieldPanel("weekday"), FieldPanel("start"), FieldPanel("end")])
                ],
                heading=_("Weekly working hours"),
                help_text=_(
                    "Several intervals a day are fine; an end before the start runs past midnight."
                ),
            ),
            InlinePanel(
                "special_days",
                panels=[
                    FieldRowPanel([FieldPanel("date"), FieldPanel("name"), FieldPanel("yearly")]),
                    FieldRowPanel([FieldPanel("closed"), FieldPanel("start"), FieldPanel("end")]),
                ],
                heading=_("Holidays and special days"),
            ),
        ],
        base_form_class=ScheduleForm,
    )


class ServiceLevelForm(WagtailAdminModelForm):
    priorities = forms.TypedMultipleChoiceField(
        label=_("Priorities"),
        choices=Priority.choices,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None: any priority."),
    )

    def clean_is_default(self):
        is_default = self.cleaned_data["is_default"]
        others = ServiceLevel.objects.filter(is_default=True).exclude(pk=self.instance.pk)
        if is_default and others.exists():
            raise forms.ValidationError(
                _("“%(level)s” is already the default level.") % {"level": others.first()}
            )
        return is_default


TARGET_PANELS = [
    FieldRowPanel(
        [
            FieldPanel("priority"),
            FieldPanel("first_response_minutes"),
            FieldPanel("next_response_minutes"),
            FieldPanel("resolution_minutes"),
        ]
    )
]


class ServiceLevelViewSet(IntegerKeyViewSet):
    model = ServiceLevel
    icon = "success"
    menu_label = _("Service levels")
    add_to_admin_menu = False
    list_display = [
        "name",
        "schedule",
        "sort_order",
        BooleanColumn("is_default", label=_("Default")),
        BooleanColumn("active", label=_("Active")),
    ]
    search_fields = ["name"]
    edit_handler = ObjectList(
        [
            FieldRowPanel([FieldPanel("name"), FieldPanel("schedule"), FieldPanel("sort_order")]),
            FieldPanel("description"),
            FieldRowPanel(
                [FieldPanel("is_default"), FieldPanel("active"), FieldPanel("warning_minutes")]
            ),
            MultiFieldPanel(
                [
                    FieldPanel("customer_groups", widget=forms.CheckboxSelectMultiple),
                    FieldPanel("sources", widget=forms.CheckboxSelectMultiple),
                    FieldPanel("services", widget=forms.CheckboxSelectMultiple),
                    FieldPanel("priorities"),
                ],
                heading=_("Applies to tickets that match every condition set here"),
            ),
            InlinePanel(
                "targets",
                panels=TARGET_PANELS,
                heading=_("Targets in business minutes"),
                help_text=_(
                    "A row without a priority applies to priorities without their own row."
                ),
                min_num=1,
            ),
        ],
        base_form_class=ServiceLevelForm,
    )


class TicketsColumn(Column):
    """The service's tickets, counted, linking to them in the inbox: its history."""

    cell_template_name = "wagtail_support/admin/service_tickets_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        context["url"] = f"{reverse('support_desk:inbox')}?service={instance.pk}"
        return context


class ServiceIndexView(IndexView):
    def get_base_queryset(self):
        return (
            super()
            .get_base_queryset()
            .select_related("category", "responsible_user", "responsible_group")
            .annotate(
                ticket_count=Count("tickets", filter=Q(tickets__deleted_at__isnull=True)),
                open_count=Count(
                    "tickets",
                    filter=Q(tickets__deleted_at__isnull=True, tickets__closed_at__isnull=True),
                ),
            )
        )


class ServiceViewSet(IntegerKeyViewSet):
    model = Service
    icon = "list-ul"
    menu_label = _("Service catalog")
    add_to_admin_menu = False
    index_view_class = ServiceIndexView
    list_display = [
        "name",
        "category",
        Column("get_kind_display", label=_("Covers")),
        Column("responsible_group", label=_("Responsible")),
        Column("get_status_display", label=_("Status")),
        TicketsColumn("ticket_count", label=_("Tickets")),
    ]
    list_filter = ["status", "kind", "category"]
    search_fields = ["name", "description"]
    panels = [
        FieldRowPanel([FieldPanel("name"), FieldPanel("category"), FieldPanel("status")]),
        FieldPanel("description"),
        FieldRowPanel(
            [FieldPanel("kind"), FieldPanel("reaction_minutes"), FieldPanel("resolution_minutes")]
        ),
        FieldRowPanel([FieldPanel("responsible_user"), FieldPanel("responsible_group")]),
    ]
