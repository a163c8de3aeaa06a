"""Who is e-mailed about a change to a ticket, and with what (R-WF4, R-CU3, R-CU5, R-DK3, R-IN6).

``ticket_changed`` (after the commit) schedules ``notify_change`` for the operation; it plans
every mail, writes each as a queued OutboundEmail and schedules its delivery:

1. the e-mails of the performed action (``ActionEmail``), to their recipients;
2. the confirmation of a new request to its customer, capped per address and hour;
3. default notifications for whoever no action e-mail reached: the customer and participants on
   a public reply, the customer on a state change, followers on every change, the assignee on
   the customer's messages and when a request is given to them. (The supervisors hear of requests
   nobody is responsible for from the SLA scan, sla/notify.py, which also catches tickets that
   lose their assignee later.)

Rules that no template or setting can change: an internal note never goes to the customer's side
(customer, participants, or any address of theirs); a spam-flagged ticket mails nobody; the
customer's preferences (R-CU5) are honoured; nobody is notified of their own change by default.
"""

from django.template import TemplateSyntaxError
from django.utils.translation import gettext_lazy as _

from .. import jobs
from ..models import EventKind, MessageKind, NotificationKind, Ticket, TicketEvent
from ..models.history import entries
from ..models.mail import OutboundKind
from . import confirmation, recipients
from .outbound import record_skipped
from .plan import Plan, shipped
from .render import Content

AGENT_EVENTS = {
    EventKind.CREATED,
    EventKind.MESSAGE,
    EventKind.NOTE,
    EventKind.ACTION,
    EventKind.STATE,
    EventKind.ASSIGNMENT,
    EventKind.DELETED,
    EventKind.RESTORED,
}


def on_ticket_changed(sender, ticket, events, actor, **kwargs):
    """Receiver of ``signals.ticket_changed``: the planning runs in the background."""
    from .. import tasks

    operation = next((event.operation for event in events if event.operation), None)
    if operation is not None:
        jobs.enqueue(tasks.notify_change, ticket.pk, str(operation))


def notify_change(ticket_id, operation):
    """Plans, queues and schedules every mail of one operation on a ticket; safe to run twice."""
    ticket = load_ticket(ticket_id)
    if ticket is None or ticket.is_spam or not str(operation).isdigit():
        # (A UUID: planned before operations were numbered by the ticket's version.)
        return []
    events = entries(
        TicketEvent.objects.filter(ticket=ticket, operation=operation)
        .select_related("actor", "message", "message__author")
        .order_by("pk")
    )
    if not events:
        return []
    message = next((event.message for event in events if event.message_id), None)
    plan = Plan(ticket, events, message)
    kinds = {event.kind for event in events}
    _action_emails(plan, operation)
    if EventKind.CREATED in kinds:
        confirmation.confirm(plan, next(e for e in events if e.kind == EventKind.CREATED))
    _customer_defaults(plan, operation, kinds)
    _agent_defaults(plan, operation, kinds)
    return plan.deliver()


def load_ticket(ticket_id):
    """The ticket with what every mail shows, or None when it is gone."""
    return (
        Ticket.objects.select_related(
            "state", "workflow", "source__site", "customer", "assignee", "category"
        )
        .filter(pk=ticket_id)
        .first()
    )


def _preference(plan):
    """What a customer-side mail of this operation is about, for the customer's preferences."""
    public_reply = (
        plan.message is not None
        and plan.message.kind == MessageKind.REPLY
        and not plan.message.from_customer
    )
    if public_reply:
        return NotificationKind.NEW_MESSAGE
    return NotificationKind.STATE_CHANGE


def _action_emails(plan, operation):
    performed = next((e for e in plan.events if e.kind == EventKind.ACTION), None)
    if performed is None:
        return
    action = plan.ticket.workflow.actions.filter(slug=performed.data.get("action")).first()
    if action is None:
        return
    preference = _preference(plan)
    for template in action.emails.all():
        content = Content(subject=template.subject, body=template.body)
        found = recipients.for_recipient(template.recipient, plan.ticket, template.fixed_address)
        key = f"{operation}:action-email:{template.pk}"
        for addressee in found:
            if not plan.may_receive(addressee, preference):
                continue
            try:
                plan.send(
                    OutboundKind.ACTION,
                    addressee,
                    content,
                    key=key,
                    link_only=template.link_only,
                    automatic=not _carries_a_reply(plan),
                )
            except TemplateSyntaxError as error:
                # Saved before templates were checked, or edited in the database: the other
                # mails still go, and this one is on record with the reason.
                record_skipped(
                    plan.ticket,
                    OutboundKind.ACTION,
                    addressee,
                    key=key,
                    reason=str(error)[:2000],
                    subject=template.subject,
                )


def _carries_a_reply(plan):
    # A person's answer is not an automatic message; everything else we send is.
    return plan.message is not None and not plan.note and not plan.message.from_customer


def _customer_defaults(plan, operation, kinds):
    ticket, message = plan.ticket, plan.message
    if ticket.deleted_at is not None:
        return
    customer = recipients.customer(ticket)
    if customer is not None and plan.is_actor(customer):
        customer = None  # they know what they just did
    public_reply = (
        message is not None and message.kind == MessageKind.REPLY and not message.from_customer
    )
    if public_reply:
        for addressee in recipients.participants(ticket):
            if not plan.is_actor(addressee) and plan.may_receive(
                addressee, NotificationKind.NEW_MESSAGE
            ):
                plan.send(
                    OutboundKind.NOTIFICATION,
                    addressee,
                    shipped("reply"),
                    f"{operation}:reply",
                    automatic=False,
                )
        if customer is not None and plan.may_receive(customer, NotificationKind.NEW_MESSAGE):
            plan.send(
                OutboundKind.NOTIFICATION,
                customer,
                shipped("reply"),
                f"{operation}:reply",
                automatic=False,
            )
            return
    if (
        EventKind.STATE in kinds
        and customer is not None
        and plan.may_receive(customer, NotificationKind.STATE_CHANGE, carries_message=False)
    ):
        plan.send(
            OutboundKind.NOTIFICATION,
            customer,
            shipped("state"),
            f"{operation}:state",
            with_message=False,
        )


def _agent_defaults(plan, operation, kinds):
    if not kinds & AGENT_EVENTS:
        return
    ticket = plan.ticket
    # (user, reason), first reason wins; lazy reasons are read in each agent's language
    wanted = []
    created = next((e for e in plan.events if e.kind == EventKind.CREATED), None)
    assigned = next((e for e in plan.events if e.kind == EventKind.ASSIGNMENT), None)
    if ticket.assignee_id and (assigned is not None or created is not None):
        wanted.append((ticket.assignee, _("This request was given to you.")))
    if plan.message is not None and plan.message.from_customer and ticket.assignee_id:
        wanted.append((ticket.assignee, _("The customer wrote on a request assigned to you.")))
    for user in recipients.follower_users(ticket):
        wanted.append((user, _("You follow this request.")))
    for user, reason in wanted:
        if plan.actor is not None and user.pk == plan.actor.pk:
            continue
        addressee = recipients.agent(user, ticket)
        if addressee is None or not plan.may_receive(addressee):
            continue
        plan.send(
            OutboundKind.NOTIFICATION,
            addressee,
            shipped("agent"),
            key=f"{operation}:agent",
            extra={"reason": reason},
        )


def on_attachments_left_out(sender, inbound, message, files, **kwargs):
    """Receiver of ``signals.attachments_left_out``: the writer learns which of their files did
    not arrive (agents already have an internal note about them)."""
    if message is not None and files:
        tell_left_out(message.ticket_id, message.pk, files)


def tell_left_out(ticket_id, message_id, files):
    ticket = load_ticket(ticket_id)
    if ticket is None or ticket.is_spam:
        return []
    message = ticket.messages.filter(pk=message_id).first()
    writer = (message.author_email if message else "").strip().lower()
    side = [recipients.customer(ticket), *recipients.participants(ticket)]
    addressee = next((a for a in side if a is not None and a.key == writer), None)
    if addressee is None:
        return []
    plan = Plan(ticket)
    plan.send(
        OutboundKind.NOTIFICATION,
        addressee,
        shipped("left_out"),
        key=f"left-out:{message_id}",
        extra={"files": files},
        with_message=False,
    )
    return plan.deliver()
