"""The form an action asks for when it is performed: its fields, the message it writes and the
assignee it needs. The engine validates with it; admin and portal views render the same form."""

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ..form_fields import typed_field
from ..models import Category, Complexity, Kind, Priority, Service, ServiceStatus
from .models import Assignment, FieldTarget, FieldType, Writes

MESSAGE = "message"
ASSIGN_USER = "assign_user"
ASSIGN_GROUP = "assign_group"


def agents(group=None):
    """Active users who may work on tickets, optionally only members of ``group``."""
    perm = Permission.objects.filter(
        content_type__app_label="wagtail_support", codename="work_on_tickets"
    )
    users = (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(
            Q(is_superuser=True) | Q(user_permissions__in=perm) | Q(groups__permissions__in=perm)
        )
    )
    if group is not None:
        users = users.filter(groups=group)
    return users.distinct().order_by("first_name", "last_name", "username")


def custom_field(field):
    common = typed_field(field.field_type, field)
    if common is not None:
        return common
    kwargs = {"label": field.label, "required": field.required, "help_text": field.help_text}
    match field.field_type:
        case FieldType.MULTIPLE_CHOICE:
            choices = [(choice, choice) for choice in field.choice_list()]
            return forms.MultipleChoiceField(
                choices=choices, widget=forms.CheckboxSelectMultiple, **kwargs
            )
        case FieldType.USER:
            return forms.ModelChoiceField(queryset=agents(), **kwargs)
        case FieldType.GROUP:
            return forms.ModelChoiceField(queryset=Group.objects.order_by("name"), **kwargs)
    raise ValueError(f"unknown field type {field.field_type!r}")


def attribute_field(field):
    kwargs = {"label": field.label, "required": field.required, "help_text": field.help_text}
    match field.target:
        case FieldTarget.CATEGORY:
            return forms.ModelChoiceField(queryset=Category.objects.all(), **kwargs)
        case FieldTarget.PRIORITY:
            return forms.TypedChoiceField(
                choices=Priority.choices, coerce=int, empty_value=None, **kwargs
            )
        case FieldTarget.COMPLEXITY:
            return forms.TypedChoiceField(
                choices=[("", "---------"), *Complexity.choices],
                coerce=int,
                empty_value=None,
                **kwargs,
            )
        case FieldTarget.KIND:
            return forms.ChoiceField(choices=Kind.choices, **kwargs)
        case FieldTarget.SERVICE:
            # Retired services stay in the catalog as history; new tickets can't get them.
            services = Service.objects.exclude(status=ServiceStatus.RETIRED)
            return forms.ModelChoiceField(queryset=services, **kwargs)
    raise ValueError(field.target)


class ActionForm(forms.Form):
    def __init__(self, action, ticket, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.action = action
        self.ticket = ticket
        self.action_fields = list(action.fields.all())
        if action.writes != Writes.NOTHING:
            label = _("Reply") if action.writes == Writes.REPLY else _("Internal note")
            self.fields[MESSAGE] = forms.CharField(
                label=label,
                required=action.message_required,
                widget=forms.Textarea(attrs={"rows": 6}),
            )
        if action.assignment == Assignment.CHOOSE_USER:
            self.fields[ASSIGN_USER] = forms.ModelChoiceField(
                label=_("Assign to"), queryset=agents(action.assign_group)
            )
        elif action.assignment == Assignment.CHOOSE_GROUP:
            self.fields[ASSIGN_GROUP] = forms.ModelChoiceField(
                label=_("Forward to group"), queryset=Group.objects.order_by("name")
            )
        for field in self.action_fields:
            if field.key in self.fields:
                continue
            if field.target == FieldTarget.CUSTOM:
                self.fields[field.key] = custom_field(field)
            else:
                self.fields[field.key] = attribute_field(field)
                self.initial.setdefault(field.key, self._current(field.target))

    def _current(self, target):
        if target in (FieldTarget.CATEGORY, FieldTarget.SERVICE):
            return getattr(self.ticket, f"{target}_id")
        return getattr(self.ticket, target)
