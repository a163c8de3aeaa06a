"""The choices the inbox offers (states, sources, agents, groups, catalog entries, custom field
keys, bulk actions), read once per process and kept until one of their rows changes
(``kept.py``), and widgets that write their options without a template per option.

Every inbox request used to read a dozen configuration tables for its filter drawer, its bulk
form and its "save this filter" form, each through a server-side cursor, then render one small
template per option: together more than the page of tickets itself cost.
"""

import html
from dataclasses import dataclass

from django import forms
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.forms.utils import flatatt
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe

from ..kept import Kept


@dataclass(frozen=True)
class Choices:
    # Each a tuple of (pk as text, label), in the order the drawer shows them.
    states: tuple  # grouped by workflow: (workflow name, ((pk, name), ...))
    state_ranks: dict  # state pk -> sort_order
    sources: tuple
    agents: tuple
    groups: tuple
    categories: tuple
    services: tuple
    service_levels: tuple
    custom_fields: tuple  # (key, label)
    bulk_actions: tuple  # (slug, name)


def _pairs(queryset):
    return tuple((str(obj.pk), str(obj)) for obj in queryset)


def _load():
    from django.contrib.auth.models import Group

    from ..models import (
        Action,
        ActionField,
        Category,
        ContactFieldType,
        ContactFormField,
        Service,
        ServiceLevel,
        Source,
        State,
    )
    from ..workflows.forms import agents
    from ..workflows.models import FieldTarget

    states = list(State.objects.select_related("workflow").order_by("workflow__name", "sort_order"))
    keys = dict(ActionField.objects.filter(target=FieldTarget.CUSTOM).values_list("key", "label"))
    built_in = (ContactFieldType.CATEGORY, ContactFieldType.PRIORITY)
    form_keys = ContactFormField.objects.exclude(field_type__in=built_in)
    keys.update(form_keys.values_list("key", "label"))
    actions = Action.objects.filter(agents_may_perform=True).values_list("slug", "name")
    by_workflow = {}
    for state in states:
        by_workflow.setdefault(state.workflow.name, []).append((str(state.pk), state.name))
    return Choices(
        # Several workflows have a "New" and a "Closed": the workflow tells them apart.
        states=tuple((name, tuple(pairs)) for name, pairs in by_workflow.items()),
        state_ranks={state.pk: state.sort_order or 0 for state in states},
        sources=_pairs(Source.objects.all()),
        agents=_pairs(agents()),
        groups=_pairs(Group.objects.order_by("name")),
        categories=_pairs(Category.objects.all()),
        services=_pairs(Service.objects.all()),
        service_levels=_pairs(ServiceLevel.objects.all()),
        custom_fields=tuple(sorted(keys.items())),
        bulk_actions=tuple(sorted(set(actions), key=lambda choice: str(choice[1]))),
    )


_kept = Kept("wagtail_support:inbox-choices", _load)
choices = _kept.get


def _forget_on_user_change(sender, instance, created=False, update_fields=None, **kwargs):
    # A login writes last_login and intake creates customers all day; neither changes who is
    # an agent, and reloading on each would defeat the point.
    if update_fields is not None and set(update_fields) <= {"last_login"}:
        return
    if created and not instance.is_superuser:
        return
    _kept.forget()


def connect():
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from ..models import (
        Action,
        ActionField,
        Category,
        ContactFormField,
        Service,
        ServiceLevel,
        Source,
        State,
        Workflow,
    )

    models = (Action, ActionField, Category, ContactFormField, Group, Service, ServiceLevel)
    for model in (*models, Source, State, Workflow):
        name = model.__name__
        post_save.connect(_kept.forget, sender=model, dispatch_uid=f"ws-inbox-save-{name}")
        post_delete.connect(_kept.forget, sender=model, dispatch_uid=f"ws-inbox-delete-{name}")
    user = get_user_model()
    post_save.connect(_forget_on_user_change, sender=user, dispatch_uid="ws-inbox-save-user")
    post_delete.connect(_kept.forget, sender=user, dispatch_uid="ws-inbox-delete-user")
    # Who is an agent: their groups, their permissions and their groups' permissions.
    for through in (user.groups.through, user.user_permissions.through, Group.permissions.through):
        m2m_changed.connect(_kept.forget, sender=through, dispatch_uid=f"ws-inbox-m2m-{through}")


# Django's widget templates, written in Python: the HTML is the same, without a template
# rendered per option. The class names are Django's, which Wagtail's field CSS keys on.


def _attrs(attrs):
    return flatatt({k: v for k, v in attrs.items() if v is not False and v is not None})


class Select(forms.Select):
    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        parts = [format_html('<select name="{}"{}>', widget["name"], _attrs(widget["attrs"]))]
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                parts.append(format_html('<optgroup label="{}">', group_name))
            for option in options:
                parts.append(
                    format_html(
                        '<option value="{}"{}>{}</option>',
                        option["value"],
                        _attrs(option["attrs"]),
                        option["label"],
                    )
                )
            if group_name:
                parts.append(mark_safe("</optgroup>"))
        parts.append(mark_safe("</select>"))
        return mark_safe("\n".join(conditional_escape(part) for part in parts))


class CheckboxSelectMultiple(forms.CheckboxSelectMultiple):
    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        outer = {"id": widget["attrs"].get("id"), "class": widget["attrs"].get("class")}
        parts = [format_html("<div{}>", _attrs(outer))]
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                parts.append(format_html("<div><label>{}</label>", group_name))
            for option in options:
                option_id = option["attrs"].get("id")
                parts.append(
                    format_html(
                        '<div><label{}><input type="{}" name="{}" value="{}"{}> {}</label></div>',
                        _attrs({"for": option_id}),
                        option["type"],
                        option["name"],
                        option["value"],
                        _attrs(option["attrs"]),
                        option["label"],
                    )
                )
            if group_name:
                parts.append(mark_safe("</div>"))
        parts.append(mark_safe("</div>"))
        return mark_safe("\n".join(conditional_escape(part) for part in parts))


def _template_attrs(attrs):
    """Django's ``attrs.html``: in the attributes' order, ``True`` as a bare name."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        if value is True:
            parts.append(f" {conditional_escape(name)}")
        else:
            parts.append(f' {conditional_escape(name)}="{html.escape(str(value))}"')
    return "".join(parts)


class _Input:
    """Django's ``input.html``."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        shown = "" if widget["value"] is None else f' value="{html.escape(str(widget["value"]))}"'
        return mark_safe(
            f'<input type="{conditional_escape(widget["type"])}"'
            f' name="{conditional_escape(widget["name"])}"{shown}'
            f"{_template_attrs(widget['attrs'])}>"
        )


class TextInput(_Input, forms.TextInput):
    pass


class HiddenInput(_Input, forms.HiddenInput):
    pass


class NullBooleanSelect(Select, forms.NullBooleanSelect):
    """Yes, no or either, with the options written as ``Select`` writes them."""
