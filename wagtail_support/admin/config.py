"""Configuration screens: sources, workflows (with states, actions, fields and e-mails edited
together) and categories. Built on Wagtail's ModelViewSet; permissions are Django's model
permissions."""

from django import forms
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import BooleanColumn, Column, DateColumn
from wagtail.admin.views.generic.models import IndexView

from ..models import BlockedSender, CannedAnswer, Category, Source, Workflow
from .forms import WorkflowAdminForm
from .viewsets import IntegerKeyViewSet

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


class WorkflowViewSet(IntegerKeyViewSet):
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


class SourceViewSet(IntegerKeyViewSet):
    model = Source
    icon = "mail"
    menu_label = _("Sources and forms")
    add_to_admin_menu = False
    list_display = ["name", "kind", "workflow", "number_prefix", BooleanColumn("enabled")]
    list_filter = ["kind", "workflow", "enabled"]
    search_fields = ["name", "slug"]
    panels = [
        FieldRowPanel([FieldPanel("name"), FieldPanel("slug"), FieldPanel("kind")]),
        FieldRowPanel([FieldPanel("workflow"), FieldPanel("site"), FieldPanel("number_prefix")]),
        FieldRowPanel([FieldPanel("default_assignee"), FieldPanel("default_group")]),
        FieldPanel("enabled"),
        MultiFieldPanel(
            [
                FieldPanel("preamble"),
                FieldPanel("schedule"),
                FieldPanel("success_message"),
                InlinePanel(
                    "form_fields",
                    panels=[
                        FieldRowPanel([FieldPanel("label"), FieldPanel("key")]),
                        FieldRowPanel([FieldPanel("field_type"), FieldPanel("required")]),
                        FieldPanel("choices"),
                        FieldPanel("help_text"),
                    ],
                    heading=_("Fields besides subject and description"),
                ),
            ],
            heading=_("Contact form"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("email_address"),
                FieldRowPanel(
                    [FieldPanel("imap_host"), FieldPanel("imap_port"), FieldPanel("imap_ssl")]
                ),
                FieldRowPanel(
                    [
                        FieldPanel("imap_username"),
                        FieldPanel("imap_password_env"),
                        FieldPanel("imap_folder"),
                    ]
                ),
            ],
            heading=_("E-mail"),
        ),
    ]


class CategoryViewSet(IntegerKeyViewSet):
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


class CannedAnswerForm(WagtailAdminModelForm):
    shared = forms.BooleanField(
        label=_("Shared with every agent"),
        required=False,
        initial=True,
        help_text=_("Off: only you see it."),
    )

    class Meta:
        model = CannedAnswer
        fields = ["title", "body", "category"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)  # keeps the for_user the view passes
        if self.instance.pk:
            self.fields["shared"].initial = self.instance.owner_id is None

    def save(self, commit=True):
        self.instance.owner = None if self.cleaned_data["shared"] else self.for_user
        return super().save(commit=commit)


try:  # Wagtail 8 lists a row's actions as menu items
    from wagtail.admin.ui.menus import MenuItem as RowAction
except ImportError:  # Wagtail 7
    from wagtail.admin.widgets.button import ListingButton as RowAction


class CannedAnswerIndexView(IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().for_agent(self.request.user)

    def get_list_more_buttons(self, instance):
        return [
            *super().get_list_more_buttons(instance),
            RowAction(
                _("Publish to the FAQ"),
                url=reverse("wagtail_support_admin:publish_to_faq", args=[instance.pk]),
                icon_name="help",
                priority=50,
            ),
        ]


class OwnAnswersOnly:
    """Another agent's personal answer is a 404, whatever the URL says."""

    def get_object(self, *args, **kwargs):
        answer = super().get_object(*args, **kwargs)
        if not CannedAnswer.objects.for_agent(self.request.user).filter(pk=answer.pk).exists():
            raise Http404
        return answer


class CannedAnswerViewSet(IntegerKeyViewSet):
    model = CannedAnswer
    icon = "openquote"
    menu_label = _("Canned answers")
    add_to_admin_menu = False
    index_view_class = CannedAnswerIndexView
    list_display = ["title", "category", Column("owner", label=_("Only for"))]
    list_filter = ["category"]
    search_fields = ["title", "body"]
    panels = [FieldPanel("title"), FieldPanel("body"), FieldPanel("category"), FieldPanel("shared")]
    edit_handler = ObjectList(panels, base_form_class=CannedAnswerForm)

    def get_form_class(self, for_update=False):
        return self._edit_handler.get_form_class()

    def construct_view(self, view_class, **kwargs):
        # Every view that loads one answer (edit, delete, copy, history, usage and any a later
        # Wagtail adds) goes through the same rule, rather than a list of views kept by hand.
        if hasattr(view_class, "get_object"):
            view_class = type(view_class.__name__, (OwnAnswersOnly, view_class), {})
        return super().construct_view(view_class, **kwargs)


class BlockedSenderViewSet(IntegerKeyViewSet):
    model = BlockedSender
    icon = "cross"
    menu_label = _("Blocklist")
    add_to_admin_menu = False
    list_display = ["pattern", "reason", DateColumn("created_at", label=_("Added"))]
    search_fields = ["pattern", "reason"]
    form_fields = ["pattern", "reason"]
