"""Customers rate answers and resolutions (R-CU4). A low rating with a comment keeps the
conversation going: the comment becomes the customer's message on the request."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from . import access, intake
from .models import Channel, EventKind, MessageKind, Rating, TicketEvent
from .workflows.models import StateType

LOW = 2  # scores at or below this ask what went wrong
RATED_STATES = (StateType.RESOLVED, StateType.CLOSED)  # a resolution exists to be rated


def may_rate_resolution(ticket):
    return ticket.state.type in RATED_STATES


@transaction.atomic
def rate(ticket, customer, score, *, message=None, comment=""):
    if not access.is_customer_of(customer, ticket):
        raise ValidationError(_("Only the request's customer can rate it."))
    if not 1 <= int(score) <= 5:
        raise ValidationError(_("Give a score from 1 to 5."))
    if message is not None and (
        message.ticket_id != ticket.pk or message.kind != MessageKind.REPLY or message.from_customer
    ):
        raise ValidationError(_("Only the support team's answers can be rated."))
    if message is None and not may_rate_resolution(ticket):
        raise ValidationError(_("The request can be rated once it is resolved."))
    try:
        with transaction.atomic():
            rating = Rating.objects.create(
                ticket=ticket,
                message=message,
                customer=customer if getattr(customer, "pk", None) else None,
                score=int(score),
                comment=comment.strip(),
            )
    except IntegrityError:
        raise ValidationError(_("You have already rated this.")) from None
    TicketEvent.objects.create(
        ticket=ticket,
        kind=EventKind.RATING,
        actor=rating.customer,
        actor_email="" if rating.customer else getattr(customer, "email", ""),
        message=message,
        data={
            "score": rating.score,
            "comment": rating.comment,
            "message": getattr(message, "pk", None),
        },
    )
    if rating.comment and rating.score <= LOW:
        intake.receive(
            ticket.source,
            ticket=ticket,
            customer=rating.customer,
            email=getattr(customer, "email", ""),
            text=rating.comment,
            channel=Channel.WEB,
        )
    return rating
