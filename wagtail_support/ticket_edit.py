"""Correcting a ticket: its subject, and the source it belongs to (issue 15, item 5).

A move to a source with another workflow lands the ticket in a state of that workflow that the
agent picks (by default the state of the same slug, else the workflow's initial state). Like the
engine, it works on the locked row, refuses a ticket changed since the agent loaded it, and
writes every change to the history through ``TicketChange``; saving recomputes the SLA due
times for the new source's service level (``sla.tracking``).

Rights: the permission ``wagtail_support.move_tickets`` (superusers have it), and rights on both
sources: the agent sees the ticket where it is, and would still see it where it lands (a state
hidden from all of the agent's groups is not theirs to move into).
"""

from django.db import transaction
from django.utils.translation import gettext as _

from . import access
from .models import Source
from .workflows.changes import TicketChange
from .workflows.engine import Outcome, WorkflowError, check_version, lock
from .workflows.models import State

PERMISSION = "wagtail_support.move_tickets"


class EditRefused(WorkflowError):
    pass


def may_edit(user, ticket):
    """Whether ``user`` may change ``ticket``'s subject or source at all (the button)."""
    return (
        access.is_agent(user)
        and (user.is_superuser or user.has_perm(PERMISSION))
        and ticket.deleted_at is None
    )


def target_sources():
    """The sources a ticket can move to: enabled ones, its own included (to change the subject
    alone)."""
    return Source.objects.filter(enabled=True).select_related("workflow").order_by("name")


def landing_state(ticket, workflow, chosen=None):
    """Where the ticket lands in ``workflow``: the state ``chosen`` (a State of that workflow),
    its current state if the workflow is its own, else the state of the same slug, else the
    workflow's initial state (None when it has none)."""
    if workflow.pk == ticket.workflow_id:
        return ticket.state
    if chosen is not None:
        if chosen.workflow_id != workflow.pk:
            raise EditRefused(_("That state belongs to another workflow."))
        return chosen
    same = State.objects.filter(workflow=workflow, slug=ticket.state.slug).first()
    return same or workflow.initial_state()


def edit(ticket, actor, *, subject=None, source=None, state=None, expected_version=None):
    """Sets ``subject`` and moves the ticket to ``source`` (landing in ``state`` when the
    workflow changes); None leaves a value as it is. Returns the engine's Outcome."""
    with transaction.atomic():
        locked = lock(ticket)
        check_version(locked, expected_version)
        if not may_edit(actor, locked) or not access.can_see(actor, locked):
            raise EditRefused(_("You may not change this ticket's subject or source."))
        change = TicketChange(locked, actor)
        if subject is not None:
            subject = subject.strip()[:255]
            if not subject:
                raise EditRefused(_("Give the ticket a subject."))
            change.set_attribute("subject", subject)
        if source is not None and source.pk != locked.source_id:
            _move(change, source, state)
        if not change.events:
            return Outcome(ticket=locked)
        events = change.save()
        return Outcome(ticket=locked, events=events)


def _move(change, source, chosen):
    ticket, actor = change.ticket, change.actor
    if not source.enabled:
        raise EditRefused(_("This source does not accept requests."))
    workflow = source.workflow
    landing = landing_state(ticket, workflow, chosen)
    if landing is None:
        raise EditRefused(_("The source's workflow has no 'New' state."))
    if not _sees_state(actor, ticket, landing):
        raise EditRefused(
            _("You could not see the ticket in '%(state)s' of '%(source)s'.")
            % {"state": landing.name, "source": source.name}
        )
    change.set_attribute("source", source)
    if workflow.pk != ticket.workflow_id:
        change.set_attribute("workflow", workflow)
        change.set_state(landing)


def _sees_state(user, ticket, state):
    """Whether ``user`` would see ``ticket`` in ``state`` (access.visible_tickets' rule)."""
    if access.sees_all_states(user) or state.pk not in access.hidden_state_ids(user):
        return True
    return ticket.assignee_id == user.pk or ticket.assigned_group_id in access.group_ids(user)
