"""Consistency of a workflow as a whole: what single fields can't check. Used by the admin form
(Workflow.clean) and by the JSON import, so both refuse the same mistakes with the same words."""

from collections import Counter

from django.utils.translation import gettext as _

from .models import Assignment, FieldTarget, FieldType, StateType, Writes

CHOICE_TYPES = {FieldType.CHOICE, FieldType.MULTIPLE_CHOICE}
# Names the action form uses for its own inputs.
RESERVED_KEYS = {"message", "assign_user", "assign_group", "attachments", "version"}


def _duplicates(values):
    return sorted(value for value, count in Counter(values).items() if count > 1)


def workflow_errors(workflow):
    """Returns a list of messages; empty when the workflow is sound. Works on unsaved clusters."""
    states = list(workflow.states.all())
    actions = list(workflow.actions.all())
    state_slugs = {state.slug for state in states}
    errors = []

    if not any(state.type == StateType.NEW for state in states):
        errors.append(_("A workflow needs a state of type 'New': tickets start there."))
    for slug in _duplicates(state.slug for state in states):
        errors.append(_("Two states have the slug '%(slug)s'.") % {"slug": slug})
    for slug in _duplicates(action.slug for action in actions):
        errors.append(_("Two actions have the slug '%(slug)s'.") % {"slug": slug})

    for state in states:
        target = state.customer_reply_target
        if target and target not in state_slugs:
            errors.append(
                _("State '%(state)s' moves customer replies to '%(target)s', which is not a state.")
                % {"state": state.slug, "target": target}
            )

    for action in actions:
        errors.extend(action_errors(action, state_slugs))
    return errors


def action_errors(action, state_slugs):
    errors = []
    name = {"action": action.slug}
    for slug in action.from_states or []:
        if slug not in state_slugs:
            errors.append(
                _("Action '%(action)s' is offered in '%(state)s', which is not a state.")
                % {**name, "state": slug}
            )
    if action.to_state and action.to_state not in state_slugs:
        errors.append(
            _("Action '%(action)s' moves tickets to '%(state)s', which is not a state.")
            % {**name, "state": action.to_state}
        )
    if action.message_required and action.writes == Writes.NOTHING:
        errors.append(
            _("Action '%(action)s' requires a message but writes nothing; choose what it writes.")
            % name
        )
    needs_group = {Assignment.FIXED_GROUP, Assignment.ROUND_ROBIN}
    if action.assignment in needs_group and not action.assign_group_id:
        errors.append(_("Action '%(action)s' assigns to its group; choose the group.") % name)
    if not (action.agents_may_perform or action.customer_may_perform):
        errors.append(_("Nobody may perform action '%(action)s'.") % name)

    fields = list(action.fields.all())
    for key in _duplicates(field.key for field in fields):
        errors.append(
            _("Action '%(action)s' has two fields with the key '%(key)s'.") % {**name, "key": key}
        )
    for field in fields:
        if field.key in RESERVED_KEYS:
            errors.append(
                _("Field key '%(key)s' of action '%(action)s' is reserved; choose another.")
                % {**name, "key": field.key}
            )
        if (
            field.target == FieldTarget.CUSTOM
            and field.field_type in CHOICE_TYPES
            and not field.choice_list()
        ):
            errors.append(
                _("Field '%(key)s' of action '%(action)s' is a choice but has no choices.")
                % {**name, "key": field.key}
            )
    return errors
