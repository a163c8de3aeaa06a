"""Workflow configuration: a workflow with its states and actions, each action with the fields it
asks for and the e-mails it sends. Edited (and exported) as one unit.

States and actions refer to each other by slug, not by foreign key: a workflow is edited in one
form where new states have no primary key yet, and slugs make the JSON export readable and
portable between sites.
"""

from django import forms
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.models import Orderable

slug_validator = RegexValidator(
    r"^[a-z0-9][a-z0-9_-]*$",
    _("Use lowercase letters, digits, hyphens and underscores, starting with a letter or digit."),
)


class SlugListFormField(forms.CharField):
    """State slugs typed as "new, in-progress" and kept as a list."""

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return ", ".join(value)
        return value

    def to_python(self, value):
        if isinstance(value, list | tuple):
            return list(value)
        text = super().to_python(value) or ""
        return [part for part in text.replace(",", " ").split() if part]

    def validate(self, value):
        if self.required and not value:
            raise ValidationError(self.error_messages["required"], code="required")
        for slug in value:
            slug_validator(slug)


class SlugListField(models.JSONField):
    def formfield(self, **kwargs):
        return SlugListFormField(
            required=not self.blank, label=capfirst(self.verbose_name), help_text=self.help_text
        )


class Workflow(ClusterableModel):
    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=50, unique=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("workflow")
        verbose_name_plural = _("workflows")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def initial_state(self):
        """Where a new ticket starts: the first state of type "new"."""
        return self.states.filter(type=StateType.NEW).order_by("sort_order", "pk").first()

    def state(self, slug):
        return self.states.get(slug=slug)


class StateType(models.TextChoices):
    NEW = "new", _("New")
    OPEN = "open", _("Open")
    WAITING = "waiting", _("Waiting for customer")
    RESOLVED = "resolved", _("Resolved")
    CLOSED = "closed", _("Closed")


class State(Orderable, ClusterableModel):
    # Clusterable so that saving a state on its own also writes its parental many-to-many.
    workflow = ParentalKey(Workflow, on_delete=models.CASCADE, related_name="states")
    name = models.CharField(_("name"), max_length=100)
    slug = models.CharField(_("slug"), max_length=50, validators=[slug_validator])
    type = models.CharField(_("type"), max_length=10, choices=StateType.choices)
    color = models.CharField(
        _("colour"),
        max_length=7,
        default="#6b7280",
        validators=[RegexValidator(r"^#[0-9a-fA-F]{6}$", _("Use a colour like #1f7a4d."))],
    )
    customer_label = models.CharField(
        _("label the customer sees"),
        max_length=100,
        blank=True,
        help_text=_("Shown in My requests and e-mails instead of the state's name; blank: name."),
    )
    pauses_sla = models.BooleanField(
        _("pauses the SLA clock"),
        default=False,
        help_text=_("Time spent in this state does not count towards SLA targets."),
    )
    auto_close_days = models.PositiveSmallIntegerField(
        _("auto-close after (days)"),
        null=True,
        blank=True,
        help_text=_("Close tickets that stay this many days in this state; blank: never."),
    )
    customer_reply_target = models.CharField(
        _("on a customer's message, move to"),
        max_length=50,
        blank=True,
        help_text=_(
            "Slug of the state a ticket moves to when the customer writes while it is in this "
            "state (e.g. Resolved → Reopened); blank: it stays."
        ),
    )
    visible_to_groups = ParentalManyToManyField(
        Group,
        blank=True,
        related_name="+",
        verbose_name=_("visible to groups"),
        help_text=_(
            "Agents in these groups see tickets in this state; none selected: every agent."
        ),
    )

    class Meta(Orderable.Meta):
        verbose_name = _("state")
        verbose_name_plural = _("states")
        constraints = [
            models.UniqueConstraint(fields=["workflow", "slug"], name="wagtail_support_state_slug")
        ]

    def __str__(self):
        return self.name

    @property
    def label_for_customer(self):
        return self.customer_label or self.name

    @property
    def is_final(self):
        return self.type == StateType.CLOSED


class Writes(models.TextChoices):
    NOTHING = "nothing", _("Nothing")
    REPLY = "reply", _("A public reply to the customer")
    NOTE = "note", _("An internal note")


class Assignment(models.TextChoices):
    KEEP = "keep", _("Keep as it is")
    TAKE = "take", _("Assign to the agent who performs it")
    CHOOSE_USER = "choose_user", _("Agent chooses a user")
    CHOOSE_GROUP = "choose_group", _("Agent chooses a group")
    FIXED_GROUP = "fixed_group", _("Assign to the action's group")
    ROUND_ROBIN = "round_robin", _("Next agent of the action's group, in turn")
    UNASSIGN = "unassign", _("Unassign")


class ButtonStyle(models.TextChoices):
    PRIMARY = "primary", _("Primary")
    SECONDARY = "secondary", _("Secondary")
    WARNING = "warning", _("Warning")
    DANGER = "danger", _("Danger")


class Action(ClusterableModel):
    workflow = ParentalKey(Workflow, on_delete=models.CASCADE, related_name="actions")
    sort_order = models.IntegerField(null=True, blank=True, editable=False)
    name = models.CharField(_("name"), max_length=100)
    slug = models.CharField(_("slug"), max_length=50, validators=[slug_validator])
    description = models.CharField(_("description"), max_length=255, blank=True)
    from_states = SlugListField(
        _("offered in states"),
        default=list,
        blank=True,
        help_text=_("Slugs of the states in which this action is offered; empty: every state."),
    )
    to_state = models.CharField(
        _("moves the ticket to"),
        max_length=50,
        blank=True,
        help_text=_("Slug of the target state; blank: the ticket stays where it is."),
    )
    # Who may perform it.
    agents_may_perform = models.BooleanField(_("agents may perform it"), default=True)
    allowed_groups = ParentalManyToManyField(
        Group,
        blank=True,
        related_name="+",
        verbose_name=_("only agents in these groups"),
        help_text=_("None selected: every agent who can see the ticket."),
    )
    assignee_only = models.BooleanField(
        _("only the assignee"),
        default=False,
        help_text=_("When the ticket is assigned to a user, only that user may perform it."),
    )
    customer_may_perform = models.BooleanField(
        _("the customer may perform it"),
        default=False,
        help_text=_("Offered to the customer on their own request (e.g. 'Close my request')."),
    )
    required_permission = models.CharField(
        _("required permission"),
        max_length=100,
        blank=True,
        help_text=_(
            "A Django permission the agent must also have, e.g. wagtail_support.delete_ticket."
        ),
    )
    # What it does.
    writes = models.CharField(
        _("writes"), max_length=10, choices=Writes.choices, default=Writes.NOTHING
    )
    message_required = models.BooleanField(_("message required"), default=False)
    assignment = models.CharField(
        _("assignment"), max_length=20, choices=Assignment.choices, default=Assignment.KEEP
    )
    assign_group = models.ForeignKey(
        Group,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("action's group"),
        help_text=_(
            "For 'assign to the action's group' and round-robin; for 'choose a user' it limits "
            "the choice to this group's members."
        ),
    )
    deletes = models.BooleanField(
        _("deletes the ticket"),
        default=False,
        help_text=_("Moves the ticket to the trash (a soft delete an admin can undo)."),
    )
    button_style = models.CharField(
        _("button style"), max_length=10, choices=ButtonStyle.choices, default=ButtonStyle.SECONDARY
    )

    class Meta:
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        ordering = ["sort_order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["workflow", "slug"], name="wagtail_support_action_slug")
        ]

    def __str__(self):
        return self.name

    def is_offered_in(self, state_slug):
        return not self.from_states or state_slug in self.from_states


class FieldType(models.TextChoices):
    TEXT = "text", _("Single line of text")
    MULTILINE = "multiline", _("Multi-line text")
    CHOICE = "choice", _("Choice from a list")
    MULTIPLE_CHOICE = "multiple_choice", _("Several choices from a list")
    DATE = "date", _("Date")
    INTEGER = "integer", _("Whole number")
    DECIMAL = "decimal", _("Decimal number")
    CHECKBOX = "checkbox", _("Checkbox")
    USER = "user", _("User")
    GROUP = "group", _("Group")


class FieldTarget(models.TextChoices):
    CUSTOM = "custom", _("A custom field of the ticket")
    CATEGORY = "category", _("The ticket's category")
    PRIORITY = "priority", _("The ticket's priority")
    COMPLEXITY = "complexity", _("The ticket's complexity")
    KIND = "kind", _("The ticket's kind (service request or incident)")
    SERVICE = "service", _("The ticket's service from the catalog")


class ActionField(Orderable):
    action = ParentalKey(Action, on_delete=models.CASCADE, related_name="fields")
    label = models.CharField(_("label"), max_length=100)
    key = models.CharField(
        _("key"),
        max_length=50,
        validators=[slug_validator],
        help_text=_("Name of the value in the ticket's history and custom fields."),
    )
    field_type = models.CharField(
        _("type"), max_length=20, choices=FieldType.choices, default=FieldType.TEXT
    )
    target = models.CharField(
        _("sets"), max_length=20, choices=FieldTarget.choices, default=FieldTarget.CUSTOM
    )
    choices = models.TextField(
        _("choices"), blank=True, help_text=_("One per line, for the choice types.")
    )
    required = models.BooleanField(_("required"), default=False)
    help_text = models.CharField(_("help text"), max_length=255, blank=True)

    class Meta(Orderable.Meta):
        verbose_name = _("action field")
        verbose_name_plural = _("action fields")
        constraints = [
            models.UniqueConstraint(fields=["action", "key"], name="wagtail_support_field_key")
        ]

    def __str__(self):
        return self.label

    def choice_list(self):
        return [line.strip() for line in self.choices.splitlines() if line.strip()]


class Recipient(models.TextChoices):
    CUSTOMER = "customer", _("The customer")
    ASSIGNEE = "assignee", _("The assigned user")
    GROUP = "group", _("Members of the assigned group")
    FOLLOWERS = "followers", _("Followers")
    SUPERVISORS = "supervisors", _("Supervisors")
    FIXED = "fixed", _("A fixed address")


class ActionEmail(Orderable):
    """An e-mail an action sends; stored here, sent by the mail package."""

    action = ParentalKey(Action, on_delete=models.CASCADE, related_name="emails")
    recipient = models.CharField(_("recipient"), max_length=20, choices=Recipient.choices)
    fixed_address = models.EmailField(_("fixed address"), blank=True)
    subject = models.CharField(_("subject"), max_length=255)
    body = models.TextField(
        _("body"), help_text=_("Django template language; see the e-mail docs for variables.")
    )
    link_only = models.BooleanField(
        _("send only a link"),
        default=False,
        help_text=_("Send a link to the request's page instead of the message text."),
    )

    class Meta(Orderable.Meta):
        verbose_name = _("action e-mail")
        verbose_name_plural = _("action e-mails")

    def __str__(self):
        return self.subject

    def clean(self):
        super().clean()
        if self.recipient == Recipient.FIXED and not self.fixed_address:
            raise ValidationError({"fixed_address": _("Give the address to send to.")})
        from django.template import TemplateSyntaxError

        from ..mail.render import check_template

        errors = {}
        for name in ("subject", "body"):
            try:
                check_template(getattr(self, name))
            except TemplateSyntaxError as error:
                errors[name] = _("This template has an error: %(error)s") % {"error": error}
        if errors:
            raise ValidationError(errors)


class AssignmentCursor(models.Model):
    """Whose turn it is in a group's round-robin; one row per group, locked while assigning."""

    group = models.OneToOneField(Group, on_delete=models.CASCADE, related_name="+")
    last_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self):
        return f"{self.group}: {self.last_user}"
