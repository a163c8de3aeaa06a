"""What every incoming request reads and hardly anything changes: the workflows with their
states, and the contact forms' fields.

Every form post and every e-mail used to read them again (workflow, initial state, the state a
customer's reply moves to, form fields): a handful of queries per request for rows an admin edits
a few times a year. They are read once and kept in the process until any of them changes
(``kept.py``).

The instances handed out are shared by every request of the process: read them, never change
them (load a fresh row to edit one). Sources are not kept: they are switched on and off, and
one query per request serves everything it needs of them.
"""

from dataclasses import dataclass

from django.db.models.signals import post_delete, post_save

from .kept import Kept


@dataclass(frozen=True)
class Snapshot:
    states: dict  # (workflow pk, slug) -> State (with its workflow attached)
    states_by_pk: dict  # pk -> State
    initial: dict  # workflow pk -> its first state of type "new", or None
    form_fields: dict  # source pk -> [ContactFormField] in form order


def _load():
    from .models import ContactFormField, State, Workflow
    from .workflows.models import StateType

    workflows = {workflow.pk: workflow for workflow in Workflow.objects.all()}
    states, by_pk, initial = {}, {}, dict.fromkeys(workflows)
    for state in State.objects.order_by("sort_order", "pk"):
        state.workflow = workflows[state.workflow_id]
        states[(state.workflow_id, state.slug)] = state
        by_pk[state.pk] = state
        if state.type == StateType.NEW and initial.get(state.workflow_id) is None:
            initial[state.workflow_id] = state
    form_fields = {}
    for field in ContactFormField.objects.order_by("sort_order", "pk"):
        form_fields.setdefault(field.source_id, []).append(field)
    return Snapshot(states, by_pk, initial, form_fields)


_kept = Kept("wagtail_support:intake-config", _load)
snapshot = _kept.get
forget = _kept.forget


def initial_state(workflow_id):
    """Where a new ticket of the workflow starts (Workflow.initial_state), or None."""
    return snapshot().initial.get(workflow_id)


def state(workflow_id, slug):
    """The workflow's state ``slug`` (Workflow.state); State.DoesNotExist when there is none."""
    found = snapshot().states.get((workflow_id, slug))
    if found is None:
        from .models import State

        raise State.DoesNotExist(f"no state {slug!r} in workflow {workflow_id}")
    return found


def state_by_pk(pk):
    """The state with primary key ``pk``, or None (deleted since the snapshot was taken)."""
    return snapshot().states_by_pk.get(pk)


def form_fields(source_id):
    return list(snapshot().form_fields.get(source_id, ()))


def connect():
    from .models import ContactFormField, State, Workflow

    for model in (ContactFormField, State, Workflow):
        name = model.__name__
        post_save.connect(forget, sender=model, dispatch_uid=f"ws-intake-save-{name}")
        post_delete.connect(forget, sender=model, dispatch_uid=f"ws-intake-delete-{name}")
