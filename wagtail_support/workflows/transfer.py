"""Workflows as JSON documents: export one, import one (new, or replacing one in place).

An import checks the whole document before it writes anything and reports every problem with its
place in the document (``actions[2].to_state: …``). Groups are named, not numbered, so a document
moves between sites.
"""

import json

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .models import Action, ActionEmail, ActionField, State, Workflow
from .validation import workflow_errors

FORMAT = "wagtail-support-workflow"
VERSION = 1

WORKFLOW_KEYS = ("name", "slug", "description")
STATE_KEYS = ("slug", "name", "type", "color", "customer_label", "pauses_sla",
              "auto_close_days", "customer_reply_target")  # fmt: skip
ACTION_KEYS = ("slug", "name", "description", "from_states", "to_state", "agents_may_perform",
               "assignee_only", "customer_may_perform", "required_permission", "writes",
               "message_required", "assignment", "deletes", "button_style")  # fmt: skip
FIELD_KEYS = ("key", "label", "field_type", "target", "required", "help_text")
EMAIL_KEYS = ("recipient", "fixed_address", "subject", "body", "link_only")


class WorkflowImportError(Exception):
    def __init__(self, errors):
        self.errors = list(errors)
        super().__init__("\n".join(self.errors))


def _names(groups):
    return sorted(group.name for group in groups)


def export_workflow(workflow):
    states = [
        {
            **{key: getattr(state, key) for key in STATE_KEYS},
            "visible_to_groups": _names(state.visible_to_groups.all()),
        }
        for state in workflow.states.all()
    ]
    actions = []
    for action in workflow.actions.all():
        actions.append(
            {
                **{key: getattr(action, key) for key in ACTION_KEYS},
                "allowed_groups": _names(action.allowed_groups.all()),
                "assign_group": action.assign_group.name if action.assign_group else None,
                "fields": [
                    {**{key: getattr(f, key) for key in FIELD_KEYS}, "choices": f.choice_list()}
                    for f in action.fields.all()
                ],
                "emails": [
                    {key: getattr(e, key) for key in EMAIL_KEYS} for e in action.emails.all()
                ],
            }
        )
    return {
        "format": FORMAT,
        "version": VERSION,
        "workflow": {
            **{key: getattr(workflow, key) for key in WORKFLOW_KEYS},
            "states": states,
            "actions": actions,
        },
    }


def load_document(text):
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise WorkflowImportError(
            [
                _("not valid JSON: line %(line)d column %(column)d: %(msg)s")
                % {"line": error.lineno, "column": error.colno, "msg": error.msg}
            ]
        ) from None


class _Reader:
    """Walks the document, building unsaved model instances and collecting errors by path."""

    def __init__(self, create_groups):
        self.errors = []
        self.create_groups = create_groups
        self.group_names = set(Group.objects.values_list("name", flat=True))
        self.missing_groups = set()

    def error(self, path, message):
        self.errors.append(f"{path}: {message}")

    def mapping(self, value, path, required, optional=()):
        if not isinstance(value, dict):
            self.error(path, _("expected an object"))
            return None
        for key in sorted(set(value) - set(required) - set(optional)):
            self.error(f"{path}.{key}", _("unknown key"))
        missing = [key for key in required if key not in value]
        for key in missing:
            self.error(f"{path}.{key}", _("missing"))
        return None if missing else value

    def items(self, value, path):
        if not isinstance(value, list):
            self.error(path, _("expected a list"))
            return []
        return value

    def groups(self, names, path):
        if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
            self.error(path, _("expected a list of group names"))
            return []
        for name in names:
            if name not in self.group_names:
                if self.create_groups:
                    self.missing_groups.add(name)
                else:
                    self.error(path, _("no group named '%(name)s' on this site") % {"name": name})
        return names

    def instance(self, model, data, keys, path, exclude):
        obj = model(**{key: data[key] for key in keys})
        try:
            obj.clean_fields(exclude=exclude)
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                for message in messages:
                    self.error(f"{path}.{field}", message)
        return obj


def _read(document, reader):
    top = reader.mapping(document, "document", ("format", "version", "workflow"))
    if top is None:
        return None
    if top["format"] != FORMAT:
        reader.error("format", _("expected '%(format)s'") % {"format": FORMAT})
    if top["version"] != VERSION:
        reader.error("version", _("this site reads version %(version)d") % {"version": VERSION})
    data = reader.mapping(top["workflow"], "workflow", (*WORKFLOW_KEYS, "states", "actions"))
    if data is None:
        return None
    workflow = reader.instance(Workflow, data, WORKFLOW_KEYS, "workflow", exclude=["slug"])
    if not isinstance(data["slug"], str) or not data["slug"]:
        reader.error("workflow.slug", _("must be a non-empty text"))
    plan = {"workflow": workflow, "states": [], "actions": []}

    for i, item in enumerate(reader.items(data["states"], "states")):
        path = f"states[{i}]"
        item = reader.mapping(item, path, (*STATE_KEYS, "visible_to_groups"))
        if item is None:
            continue
        state = reader.instance(State, item, STATE_KEYS, path, exclude=["workflow"])
        state.sort_order = i
        groups = reader.groups(item["visible_to_groups"], f"{path}.visible_to_groups")
        plan["states"].append((state, groups))

    for i, item in enumerate(reader.items(data["actions"], "actions")):
        path = f"actions[{i}]"
        item = reader.mapping(
            item, path, (*ACTION_KEYS, "allowed_groups", "assign_group", "fields", "emails")
        )
        if item is None:
            continue
        plan["actions"].append(_read_action(item, i, path, reader))
    return plan


def _read_action(item, index, path, reader):
    action = reader.instance(Action, item, ACTION_KEYS, path, exclude=["workflow", "assign_group"])
    action.sort_order = index
    if not isinstance(item["from_states"], list):
        reader.error(f"{path}.from_states", _("expected a list of state slugs"))
    allowed = reader.groups(item["allowed_groups"], f"{path}.allowed_groups")
    assign_group = item["assign_group"]
    if assign_group is not None:
        reader.groups([assign_group], f"{path}.assign_group")
    fields, emails = [], []
    for j, field in enumerate(reader.items(item["fields"], f"{path}.fields")):
        field_path = f"{path}.fields[{j}]"
        field = reader.mapping(field, field_path, (*FIELD_KEYS, "choices"))
        if field is None:
            continue
        obj = reader.instance(ActionField, field, FIELD_KEYS, field_path, exclude=["action"])
        choices = field["choices"]
        if not isinstance(choices, list) or not all(isinstance(c, str) for c in choices):
            reader.error(f"{field_path}.choices", _("expected a list of texts"))
        else:
            obj.choices = "\n".join(choices)
        obj.sort_order = j
        fields.append(obj)
    for j, email in enumerate(reader.items(item["emails"], f"{path}.emails")):
        email_path = f"{path}.emails[{j}]"
        email = reader.mapping(email, email_path, EMAIL_KEYS)
        if email is None:
            continue
        obj = reader.instance(ActionEmail, email, EMAIL_KEYS, email_path, exclude=["action"])
        try:
            obj.clean()
        except ValidationError as error:
            for message in error.messages:
                reader.error(email_path, message)
        obj.sort_order = j
        emails.append(obj)
    return {"action": action, "allowed": allowed, "assign_group": assign_group,
            "fields": fields, "emails": emails}  # fmt: skip


def _consistency_errors(plan):
    """What workflow_errors() says of the assembled, still unsaved, cluster."""
    workflow = Workflow(name=plan["workflow"].name, slug=plan["workflow"].slug)
    workflow.states = [state for state, _groups in plan["states"]]
    actions = []
    for entry in plan["actions"]:
        action = entry["action"]
        action.fields = entry["fields"]
        # Only presence matters to the consistency check; the group is resolved on save.
        action.assign_group_id = 0 if entry["assign_group"] else None
        actions.append(action)
    workflow.actions = actions
    return workflow_errors(workflow)


def import_workflow(document, *, replace=False, create_groups=False):
    reader = _Reader(create_groups)
    plan = _read(document, reader)
    if plan is not None and not reader.errors:
        reader.errors.extend(f"workflow: {message}" for message in _consistency_errors(plan))
        existing = Workflow.objects.filter(slug=plan["workflow"].slug).first()
        if existing is not None and not replace:
            reader.error(
                "workflow.slug",
                _("a workflow '%(slug)s' exists already; import with replace to update it")
                % {"slug": existing.slug},
            )
        if existing is not None and replace:
            _check_dropped_states(existing, plan, reader)
    if reader.errors or plan is None:
        raise WorkflowImportError(reader.errors or [_("the document is empty")])
    with transaction.atomic():
        for name in sorted(reader.missing_groups):
            Group.objects.get_or_create(name=name)
        return _write(plan, existing)


def _check_dropped_states(existing, plan, reader):
    from ..models import Ticket

    kept = {state.slug for state, _groups in plan["states"]}
    for state in existing.states.exclude(slug__in=kept):
        count = Ticket.objects.filter(state=state).count()
        if count:
            reader.error(
                "states",
                ngettext(
                    "state '%(slug)s' would be removed, but %(count)d ticket is in it",
                    "state '%(slug)s' would be removed, but %(count)d tickets are in it",
                    count,
                )
                % {"slug": state.slug, "count": count},
            )


def _write(plan, existing):
    groups = {group.name: group for group in Group.objects.all()}
    new = plan["workflow"]
    workflow = existing or Workflow(slug=new.slug)
    workflow.name, workflow.description = new.name, new.description
    workflow.save()

    old_states = {state.slug: state for state in workflow.states.all()}
    for state, group_names in plan["states"]:
        current = old_states.pop(state.slug, None)
        if current is not None:
            state.pk = current.pk
        state.workflow = workflow
        # Parental many-to-many values are held in memory and written by save().
        state.visible_to_groups.set([groups[name] for name in group_names])
        state.save()
    for leftover in old_states.values():
        leftover.delete()

    old_actions = {action.slug: action for action in workflow.actions.all()}
    for entry in plan["actions"]:
        action = entry["action"]
        current = old_actions.pop(action.slug, None)
        if current is not None:
            action.pk = current.pk
        action.workflow = workflow
        action.assign_group = groups[entry["assign_group"]] if entry["assign_group"] else None
        action.allowed_groups.set([groups[name] for name in entry["allowed"]])
        # Saving the cluster replaces its fields and e-mails with these.
        action.fields = entry["fields"]
        action.emails = entry["emails"]
        action.save()
    for leftover in old_actions.values():
        leftover.delete()
    return workflow
