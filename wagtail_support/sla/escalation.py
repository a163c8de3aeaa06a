"""What celery beat runs for service levels: the escalation scan (warnings before a target is due,
notices when it is breached), the report of tickets nobody is responsible for (R-WF5) and
auto-close after a state's waiting time (R-WF9).

Each notice is sent once per ticket, target and due time, however many scans run at once: its
``SlaNotice`` row is inserted first (a unique constraint decides who sends), and the mail goes out
after the commit.
"""

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import jobs
from ..models import EventKind, NoticeKind, SlaNotice, State, Ticket, TicketEvent
from ..workflows.changes import TicketChange
from ..workflows.models import StateType
from . import clock
from .policy import policy_for
from .tracking import STOPPED_TYPES, next_check

BREACHED_FLAG = {
    "first_response": "first_response_breached",
    "next_response": "next_response_breached",
    "resolution": "resolution_breached",
}
SCAN_BATCH = 500


def tickets_to_check(now):
    """The one indexed query of the scan: tickets with a warning or breach due by ``now``."""
    return Ticket.objects.filter(sla_check_at__lte=now).order_by("sla_check_at")


def scan(now=None):
    """Sends the warnings and breach notices due by ``now``; returns the notices sent."""
    now = now or timezone.now()
    sent = []
    while True:
        ids = list(tickets_to_check(now).values_list("pk", flat=True)[:SCAN_BATCH])
        if not ids:
            return sent
        progressed = False
        for pk in ids:
            notices, handled = check_ticket(pk, now)
            sent.extend(notices)
            progressed |= handled
        if not progressed:
            return sent  # every one is being checked by a scan running at the same time


def check_ticket(pk, now):
    """Sends what is due for one ticket. Returns (notices sent, whether this scan handled it)."""
    with transaction.atomic():
        # skip_locked: a scan running at the same time has this ticket; it will finish it.
        ticket = (
            Ticket.objects.select_for_update(skip_locked=True)
            .filter(pk=pk, sla_check_at__lte=now)
            .first()
        )
        if ticket is None:
            return [], False
        if ticket.deleted_at is not None or ticket.is_spam:
            Ticket.objects.filter(pk=pk).update(sla_check_at=None)
            return [], True
        policy = policy_for(ticket)
        due = clock.Due(ticket.first_response_due, ticket.next_response_due, ticket.resolution_due)
        warning = dt.timedelta(minutes=policy.warning_minutes)
        notices, flags = [], {}
        for target in clock.TARGETS:
            due_at = getattr(due, target)
            if due_at is None:
                continue
            if now >= due_at:
                kind = NoticeKind.BREACH
                flags[BREACHED_FLAG[target]] = True
            elif warning and now >= due_at - warning:
                kind = NoticeKind.WARNING
            else:
                continue
            notice = _insert_once(ticket, target, kind, due_at)
            if notice is not None:
                notices.append(notice)
        sent = set(SlaNotice.objects.filter(ticket=ticket).values_list("target", "kind", "due_at"))
        # SLA bookkeeping, not a change anyone made: written on the locked row without raising
        # the ticket's version (an agent's open form stays valid) or marking it unread; the
        # notices are recorded as SLA events below.
        Ticket.objects.filter(pk=pk).update(
            sla_check_at=next_check(due, policy.warning_minutes, now, sent), **flags
        )
        if notices:
            TicketEvent.objects.bulk_create(
                TicketEvent(
                    ticket=ticket,
                    kind=EventKind.SLA,
                    data={
                        "target": n.target,
                        "notice": n.kind,
                        "due": n.due_at.isoformat(),
                        "level": policy.level_id,
                    },
                )
                for n in notices
            )
            from .. import tasks

            for notice in notices:
                jobs.enqueue(tasks.send_sla_notice, notice.pk)
    return notices, True


def _insert_once(ticket, target, kind, due_at):
    try:
        with transaction.atomic():
            return SlaNotice.objects.create(ticket=ticket, target=target, kind=kind, due_at=due_at)
    except IntegrityError:
        return None  # already sent, by this scan's predecessor or one running beside it


def unattended(now=None):
    """Open tickets nobody is responsible for (no user, no group), not reported yet."""
    return (
        Ticket.objects.alive()
        .filter(is_spam=False, assignee__isnull=True, assigned_group__isnull=True)
        .exclude(state__type__in=STOPPED_TYPES)
        .exclude(sla_notices__kind=NoticeKind.UNASSIGNED)
        .order_by("created_at")
    )


def report_unattended(now=None):
    """Tells the supervisors, once per ticket, about tickets nobody is responsible for (R-WF5).
    Returns the notices written; each ticket's mail goes to the supervisors after the commit."""
    notices = []
    for ticket in unattended(now)[:SCAN_BATCH]:
        notice = _insert_once(ticket, "owner", NoticeKind.UNASSIGNED, ticket.created_at)
        if notice is not None:
            notices.append(notice)
    if notices:
        from .. import tasks

        ids = [n.pk for n in notices]
        jobs.enqueue(tasks.send_unattended_report, ids)
    return notices


def auto_close(now=None):
    """Closes tickets that stayed in a state with "auto-close after N days" that long (e.g.
    resolved and never rated, R-WF9). Returns the tickets closed."""
    now = now or timezone.now()
    closed = []
    states = State.objects.filter(auto_close_days__isnull=False).exclude(type=StateType.CLOSED)
    for state in states.select_related("workflow"):
        target = (
            state.workflow.states.filter(type=StateType.CLOSED).order_by("sort_order", "pk").first()
        )
        if target is None:
            continue
        cutoff = now - dt.timedelta(days=state.auto_close_days)
        waited = Q(state_changed_at__lte=cutoff) | Q(
            state_changed_at__isnull=True, created_at__lte=cutoff
        )
        due = Ticket.objects.alive().filter(waited, state=state)
        for pk in due.values_list("pk", flat=True)[:SCAN_BATCH]:
            if _close(pk, state, target, cutoff):
                closed.append(pk)
    return closed


def _close(pk, state, target, cutoff):
    with transaction.atomic():
        ticket = Ticket.objects.select_for_update(skip_locked=True).filter(pk=pk).first()
        # Re-checked under the lock: the customer may have written in the meantime.
        if ticket is None or ticket.state_id != state.pk or ticket.deleted_at is not None:
            return False
        if ticket.state_changed_at and ticket.state_changed_at > cutoff:
            return False
        change = TicketChange(ticket, None)
        change.record(
            EventKind.ACTION,
            {
                "action": "auto-close",
                "name": _("Closed automatically"),
                "days": state.auto_close_days,
                "values": {},
            },
        )
        change.set_state(target)
        change.save()
    return True
