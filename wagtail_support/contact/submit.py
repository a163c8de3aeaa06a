"""Turning a valid contact-form post into a request, after the spam checks (R-IN5, R-IN6)."""

from django.core.exceptions import ValidationError
from django.utils.translation import get_language

from .. import intake
from ..conf import support_settings
from ..faq import deflection
from ..intake import SenderBlocked
from ..models import Channel
from . import spam


class Rejected(Exception):
    """A post refused as spam. Its message never says which check tripped."""


def suspicion(request, form):
    data = form.data
    email = form.cleaned_data.get("email") or getattr(form.user, "email", "")
    return (
        spam.honeypot_filled(data)
        or spam.filled_too_fast(data.get(spam.STARTED))
        or spam.rate_limited(spam.client_ip(request), email)
    )


def submit(request, form, checked_sender=None):
    """Creates the ticket for a valid ``form``; returns intake's result or raises Rejected.
    ``checked_sender``: (address, whether the blocklist holds it), when the caller has asked."""
    is_spam = suspicion(request, form)
    if is_spam and support_settings.SPAM_ACTION != "flag":
        raise Rejected()
    user = form.user if form.user and form.user.is_authenticated else None
    data = form.cleaned_data
    sender = data.get("email", "") or getattr(user, "email", "")
    # The caller's answer stands for the address the form cleaned: the same one, but for case
    # and surrounding space, which the blocklist ignores too.
    checked = checked_sender is not None and _same(checked_sender[0], sender)
    if checked and checked_sender[1]:
        raise Rejected()
    try:
        received = intake.receive(
            form.source,
            subject=data["subject"],
            text=data["description"],
            customer=user,
            email=data.get("email", ""),
            name=data.get("name", ""),
            channel=Channel.WEB,
            files=data.get("attachments") or [],
            category=form.built_in("category"),
            priority=form.built_in("priority"),
            custom_fields=form.custom_values(),
            is_spam=is_spam,
            language=get_language() or "",
            sender_checked=checked,
        )
    except SenderBlocked:
        raise Rejected() from None
    except ValidationError:
        raise
    # The confirmation (R-IN6) follows from the new ticket itself: mail.notify.
    # FAQ suggestions opened on this form did not answer the question after all.
    deflection.form_sent(data.get(spam.STARTED), received.ticket)
    return received


def _same(address, other):
    return (address or "").strip().lower() == (other or "").strip().lower()
