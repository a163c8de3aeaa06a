"""The confirmation a customer receives when their request is registered (R-IN6)."""

from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation

from ..conf import support_settings
from ..models import Ticket
from ..portal import guest


def send_confirmation(ticket_id):
    ticket = Ticket.objects.select_related("state", "source").get(pk=ticket_id)
    if not ticket.customer_email or ticket.is_spam:
        return 0
    with translation.override(ticket.language or None):
        context = {
            "ticket": ticket,
            "state": ticket.state.label_for_customer,
            # Guests have no account: the link is how they follow and answer the request.
            "link": guest.absolute_link(ticket) if ticket.customer_id is None else None,
        }
        subject = render_to_string("wagtail_support/mail/confirmation_subject.txt", context)
        body = render_to_string("wagtail_support/mail/confirmation.txt", context)
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split()),
        body=body,
        from_email=support_settings.FROM_EMAIL,
        to=[ticket.customer_email],
        headers={"Auto-Submitted": "auto-replied", "X-Auto-Response-Suppress": "All"},
    )
    return message.send()
