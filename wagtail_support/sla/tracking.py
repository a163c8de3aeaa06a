"""Keeps a ticket's SLA projection up to date: called by ``TicketChange.save()`` for every change
(intake and the engine alike), so a portal reply, an e-mail reply and an agent's action move the
clocks the same way.

On each change it records pauses (entering or leaving a state that pauses the SLA, or a resolved
or closed state), starts the next-response clock on a customer message and stops it on a public
answer, measures what was achieved (business minutes, breached or not, kept on the ticket and in
an SLA event for reports), then recomputes the due times and when the escalation scan must look
at the ticket next.
"""

import datetime as dt

from ..models import EventKind, MessageKind
from ..workflows.models import StateType
from . import clock
from .policy import policy_for

STOPPED_TYPES = (StateType.RESOLVED, StateType.CLOSED)


def pauses_clock(state):
    return state.pauses_sla or state.type in STOPPED_TYPES


def load_pauses(raw):
    return tuple(
        (dt.datetime.fromisoformat(start), dt.datetime.fromisoformat(end) if end else None)
        for start, end in raw or ()
    )


def dump_pauses(pauses):
    return [[start.isoformat(), end.isoformat() if end else None] for start, end in pauses]


def timeline(ticket, pauses):
    return clock.Timeline(
        created_at=ticket.created_at,
        first_response_at=ticket.first_response_at,
        awaiting_since=ticket.awaiting_reply_since,
        resolved=ticket.state.type in STOPPED_TYPES,
        pauses=pauses,
    )


def track(change):
    """Pauses and achieved times are kept for every ticket (reports measure response times with
    or without a service level); SLA events are written only where a level or service applies."""
    ticket, now = change.ticket, change.now
    policy = policy_for(ticket)
    record = _recorder(change, policy)
    pauses = list(load_pauses(ticket.sla_pauses))
    paused_before = bool(pauses) and pauses[-1][1] is None
    paused_now = pauses_clock(ticket.state)
    # Resolving, closing and reopening stop and start the clocks too, but their state event and
    # the "resolution took" event already say so: only a pause of an open ticket (Waiting for
    # customer) is worth its own history entry.
    if paused_now and not paused_before:
        pauses.append((now, None))
        if ticket.state.type not in STOPPED_TYPES:
            record({"clock": "paused", "state": ticket.state.slug})
    elif paused_before and not paused_now:
        pauses[-1] = (pauses[-1][0], now)
        if _left_type(change) not in STOPPED_TYPES:
            record({"clock": "resumed", "state": ticket.state.slug})
    pauses = tuple(pauses)
    ticket.sla_pauses = dump_pauses(pauses)

    schedule = policy.schedule or clock.ROUND_THE_CLOCK
    _follow_messages(change, policy, schedule, pauses, record)
    _measure_resolution(change, policy, schedule, pauses, record)

    ticket.service_level_id = policy.level_id
    due = clock.compute(schedule, policy.targets, timeline(ticket, pauses))
    ticket.first_response_due = due.first_response
    ticket.next_response_due = due.next_response
    ticket.resolution_due = due.resolution
    ticket.sla_due = due.earliest()
    ticket.sla_check_at = next_check(due, policy.warning_minutes, now)


def _left_type(change):
    """The type of the state this change leaves, or None when the state stays."""
    left = next((e for e in change.events if e.kind == EventKind.STATE), None)
    return left.data["old"]["type"] if left is not None else None


def _recorder(change, policy):
    def record(data):
        if policy.level_id is not None or policy.targets:
            change.record(EventKind.SLA, data)

    return record


def _follow_messages(change, policy, schedule, pauses, record):
    ticket, now = change.ticket, change.now
    for event in change.events:
        if event.kind != EventKind.MESSAGE or event.message is None:
            continue
        message = event.message
        if message.kind != MessageKind.REPLY:
            continue
        if message.from_customer:
            # The clock runs from the first message still waiting for an answer.
            if ticket.awaiting_reply_since is None:
                ticket.awaiting_reply_since = now
            continue
        if ticket.first_response_minutes is None and ticket.first_response_at is not None:
            minutes = _minutes(schedule, ticket.created_at, ticket.first_response_at, pauses)
            breached = _over(minutes, policy.targets.first_response)
            ticket.first_response_minutes = minutes
            ticket.first_response_breached |= breached
            record(_achieved("first_response", minutes, policy.targets.first_response, breached))
        elif ticket.awaiting_reply_since is not None:
            minutes = _minutes(schedule, ticket.awaiting_reply_since, now, pauses)
            breached = _over(minutes, policy.targets.next_response)
            ticket.next_response_breached |= breached
            record(_achieved("next_response", minutes, policy.targets.next_response, breached))
        ticket.awaiting_reply_since = None


def _measure_resolution(change, policy, schedule, pauses, record):
    ticket = change.ticket
    if ticket.state.type not in STOPPED_TYPES:
        ticket.resolution_minutes = None  # reopened: the earlier resolution no longer stands
        return
    if ticket.resolution_minutes is not None or ticket.resolved_at is None:
        return
    minutes = _minutes(schedule, ticket.created_at, ticket.resolved_at, pauses)
    breached = _over(minutes, policy.targets.resolution)
    ticket.resolution_minutes = minutes
    ticket.resolution_breached |= breached
    record(_achieved("resolution", minutes, policy.targets.resolution, breached))


def _minutes(schedule, start, end, pauses):
    return round(clock.elapsed_seconds(schedule, start, end, pauses) / 60)


def _over(minutes, target):
    return target is not None and minutes > target


def _achieved(target, minutes, target_minutes, breached):
    return {
        "target": target,
        "achieved": True,
        "minutes": minutes,
        "target_minutes": target_minutes,
        "breached": breached,
    }


def next_check(due, warning_minutes, now, sent=frozenset()):
    """The first instant at which a warning or breach notice falls due and has not been sent
    (``sent``: (target, kind, due) triples); None when nothing is pending."""
    warning = dt.timedelta(minutes=warning_minutes)
    candidates = []
    for target in clock.TARGETS:
        due_at = getattr(due, target)
        if due_at is None:
            continue
        if warning and now < due_at and (target, "warning", due_at) not in sent:
            candidates.append(due_at - warning)
        elif (target, "breach", due_at) not in sent:
            candidates.append(due_at)
    return min(candidates) if candidates else None
