"""Configuration screens: sources, workflows (with states, actions, fields and e-mails edited
together) and categories. Built on Wagtail's ModelViewSet; permissions are Django's model
permissions."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import BooleanColumn, Column
from wagtail.admin.viewsets.model import ModelViewSet

from ..models import Category, Source, Workflow
from .forms import WorkflowAdminForm

STATE_PANELS = [
    FieldRowPanel([FieldPanel("name"), FieldPanel("slug"), FieldPanel("type")]),
    FieldRowPanel([FieldPanel("customer_label"), FieldPanel("color")]),
    FieldRowPanel(
        [
            FieldPanel("pauses_sla"),
            FieldPanel("auto_close_days"),
            FieldPanel("customer_reply_target"),
        ]
    ),
    FieldPanel("visible_to_groups"),
]

ACTION_FIELD_PANELS = [
    FieldRowPanel([FieldPanel("label"), FieldPanel("key")]),
    FieldRowPanel([FieldPanel("field_type"), FieldPanel("target"), FieldPanel("required")]),
    FieldPanel("choices"),
    FieldPanel("help_text"),
]

ACTION_EMAIL_PANELS = [
    FieldRowPanel([FieldPanel("recipient"), FieldPanel("fixed_address"), FieldPanel("link_only")]),
    FieldPanel("subject"),
    FieldPanel("body"),
]

ACTION_PANELS = [
    FieldRowPanel([FieldPanel("name"), FieldPanel("slug"), FieldPanel("button_style")]),
    FieldPanel("description"),
    FieldRowPanel([FieldPanel("from_states"), FieldPanel("to_state")]),
    MultiFieldPanel(
        [
            FieldRowPanel(
                [
                    FieldPanel("agents_may_perform"),
                    FieldPanel("customer_may_perform"),
                    FieldPanel("assignee_only"),
                ]
            ),
            FieldPanel("allowed_groups"),
            FieldPanel("required_permission"),
        ],
        heading=_("Who may perform it"),
    ),
    MultiFieldPanel(
        [
            FieldRowPanel([FieldPanel("writes"), FieldPanel("message_required")]),
            FieldRowPanel([FieldPanel("assignment"), FieldPanel("assign_group")]),
            FieldPanel("deletes"),
        ],
        heading=_("What it does"),
    ),
    InlinePanel("fields", panels=ACTION_FIELD_PANELS, heading=_("Fields it asks for")),
    InlinePanel("emails", panels=ACTION_EMAIL_PANELS, heading=_("E-mails it sends")),
]


class WorkflowViewSet(ModelViewSet):
    model = Workflow
    icon = "tasks"
    menu_label = _("Workflows")
    add_to_admin_menu = False
    list_display = ["name", "slug", Column("description", label=_("Description"))]
    search_fields = ["name", "slug"]
    edit_handler = ObjectList(
        [
            FieldRowPanel([FieldPanel("name"), FieldPanel("slug")]),
            FieldPanel("description"),
            InlinePanel("states", panels=STATE_PANELS, heading=_("States"), min_num=1),
            InlinePanel("actions", panels=ACTION_PANELS, heading=_("Actions")),
        ],
        base_form_class=WorkflowAdminForm,
    )


class SourceViewSet(ModelViewSet):
    model = Source
    icon = "mail"
    menu_label = _("Sources")
    add_to_admin_menu = False
    list_display = ["name", "kind", "workflow", "number_prefix", BooleanColumn("enabled")]
    list_filter = ["kind", "workflow", "enabled"]
    search_fields = ["name", "slug"]
    panels = [
        FieldRowPanel([FieldPanel("name"), FieldPanel("slug"), FieldPanel("kind")]),
        FieldRowPanel([FieldPanel("workflow"), FieldPanel("site"), FieldPanel("number_prefix")]),
        FieldRowPanel([FieldPanel("default_assignee"), FieldPanel("default_group")]),
        FieldPanel("enabled"),
    ]


class CategoryViewSet(ModelViewSet):
    model = Category
    icon = "tag"
    menu_label = _("Categories")
    add_to_admin_menu = False
    list_display = ["name", "slug", BooleanColumn("public"), "sort_order"]
    search_fields = ["name"]
    panels = [
        FieldRowPanel([FieldPanel("name"), FieldPanel("slug")]),
        FieldPanel("description"),
        FieldRowPanel([FieldPanel("public"), FieldPanel("sort_order")]),
    ]
