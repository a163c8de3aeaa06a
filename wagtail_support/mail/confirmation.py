"""The confirmation a customer receives when their request is registered, with its number
(R-IN6): for every channel that creates a ticket for a customer, never for spam, and at most
``CONFIRMATION_LIMIT_PER_HOUR`` per address, so an auto-replying mailbox can't start a flood."""

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from ..conf import support_settings
from ..models import Channel, EventKind, OutboundEmail, Ticket
from ..models.mail import OutboundKind, OutboundStatus
from . import recipients
from .outbound import record_skipped
from .plan import Plan, shipped

CONFIRMED_CHANNELS = (Channel.WEB, Channel.EMAIL, Channel.PHONE, Channel.ADMIN, Channel.API)
KEY = "confirmation"


def confirm(plan, created):
    """Queues the confirmation of the new ticket whose CREATED event is ``created``."""
    customer = recipients.customer(plan.ticket)
    if customer is None or created.data.get("channel") not in CONFIRMED_CHANNELS:
        return None
    if over_limit(plan.ticket, customer.email):
        record_skipped(
            plan.ticket,
            OutboundKind.CONFIRMATION,
            customer,
            key=KEY,
            reason=_("More than %(limit)s confirmations to this address in an hour.")
            % {"limit": support_settings.CONFIRMATION_LIMIT_PER_HOUR},
        )
        plan.reached.add(customer.key)
        return None
    return plan.send(
        OutboundKind.CONFIRMATION,
        customer,
        shipped("confirmation"),
        KEY,
        automatic="auto-replied",  # RFC 3834: it answers the customer's message
    )


def over_limit(ticket, address):
    limit = support_settings.CONFIRMATION_LIMIT_PER_HOUR
    if not limit:
        return False
    since = timezone.now() - datetime.timedelta(hours=1)
    recent = (
        OutboundEmail.objects.filter(
            kind=OutboundKind.CONFIRMATION,
            created_at__gte=since,
            ticket__customer_email__iexact=address,
        )
        .exclude(status=OutboundStatus.SKIPPED)
        .exclude(ticket=ticket)
    )
    return recent.count() >= limit


def send_confirmation(ticket_id):
    """Queues (once) and schedules the confirmation of ticket ``ticket_id``; the rows scheduled.
    Tickets are confirmed by themselves when created; this is for sending it on demand."""
    ticket = Ticket.objects.select_related("state", "source__site").filter(pk=ticket_id).first()
    if ticket is None or ticket.is_spam:
        return []
    created = ticket.events.filter(kind=EventKind.CREATED).select_related("message").first()
    if created is None:
        return []
    request = ticket.messages.order_by("created_at", "pk").first()
    plan = Plan(ticket, [created], request)
    confirm(plan, created)
    return plan.deliver()
