"""Alerts to staff about a ticket that the help desk raises by itself, such as the SLA's warnings
and breaches: rendered from shipped templates, recorded as OutboundEmail, sent once per key."""

from django.utils.translation import gettext_lazy as _

from ..models.mail import OutboundKind
from . import recipients
from .notify import load_ticket
from .plan import Plan, shipped

TARGETS = {
    "first_response": _("first response"),
    "next_response": _("next response"),
    "resolution": _("resolution"),
}


def notify(ticket, template, to, *, key, kind=OutboundKind.ESCALATION, context=None):
    """Sends the shipped ``template`` about ``ticket`` to ``to`` (users and/or addresses), once
    per ``key`` and address: calling it again with the same key sends nothing new.

    Meant for the help desk's own alerts to staff (SLA warnings and breaches): the mail is
    rendered from ``wagtail_support/mail/<template>_subject.txt`` and ``<template>.txt`` in each
    recipient's language with ``context`` added to the usual variables. Returns the queued rows.
    """
    ticket = load_ticket(ticket.pk)
    plan = Plan(ticket)
    for item in to:
        if isinstance(item, str):
            addressee = recipients.fixed(item)
            if addressee.key in plan.customer_side:
                continue  # staff alerts are not for the customer's side
        else:
            addressee = recipients.agent(item, ticket)
        if addressee is None or not plan.may_receive(addressee):
            continue
        plan.send(kind, addressee, shipped(template), key=f"{kind}:{key}", extra=context)
    return plan.deliver()


def send_escalation(ticket, to, *, target, due=None, minutes=None, key=None):
    """An SLA alert to staff: "``target`` is due in ``minutes``" or, with ``minutes`` None,
    "``target`` was breached". ``target`` is "first_response", "next_response", "resolution"
    (shown translated) or any text. ``to`` holds users and/or addresses; ``key`` (default: target,
    due time and kind of alert) makes each alert go out once."""
    breached = minutes is None
    key = key or f"{target}:{due.isoformat() if due else ''}:{'breach' if breached else 'warn'}"
    return notify(
        ticket,
        "escalation",
        to,
        key=key,
        context={
            "target": TARGETS.get(target, target),
            "due": due,
            "minutes": minutes or 0,
            "breached": breached,
        },
    )
