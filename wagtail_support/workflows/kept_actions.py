"""The workflows' actions with their fields, allowed groups and target group, read once per
process and kept until one of them changes (``kept.py``).

Every ticket page, portal page and bulk operation asks which actions it may offer; admins edit
them a few times a year. Reading them cost three queries a request (actions, their groups,
their fields). The actions handed out are shared by every request of the process: read them,
never change them (load a fresh row to edit one).
"""

from django.db.models.signals import m2m_changed, post_delete, post_save

from ..kept import Kept


def _load():
    from .models import Action

    actions = (
        Action.objects.select_related("assign_group")
        .prefetch_related("allowed_groups", "fields")
        .order_by("workflow_id", "sort_order", "pk")
    )
    by_workflow = {}
    for action in actions:
        by_workflow.setdefault(action.workflow_id, []).append(action)
    return by_workflow


_kept = Kept("wagtail_support:workflow-actions", _load)
forget = _kept.forget


def actions_of(workflow_id):
    """The workflow's actions in their order, as ``workflow.actions.all()`` lists them."""
    return list(_kept.get().get(workflow_id, ()))


def connect():
    from django.contrib.auth.models import Group

    from .models import Action, ActionField

    # A deleted group leaves the allowed groups without a signal of their own.
    for model in (Action, ActionField, Group):
        name = model.__name__
        post_save.connect(forget, sender=model, dispatch_uid=f"ws-actions-save-{name}")
        post_delete.connect(forget, sender=model, dispatch_uid=f"ws-actions-delete-{name}")
    m2m_changed.connect(
        forget, sender=Action.allowed_groups.through, dispatch_uid="ws-actions-allowed-groups"
    )
