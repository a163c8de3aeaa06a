"""The mail agents get about service levels: a warning before a target is due, a notice when it is
breached, and the admins' report of tickets nobody is responsible for. Each mail is recorded as an
``OutboundEmail`` whose Message-ID is derived from the notice and recipient, so a retried task
never sends the same mail twice."""

import hashlib

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from .. import access
from ..conf import support_settings
from ..mail.headers import AUTOMATIC_HEADERS, LOOP_HEADER, loop_marker
from ..models import OutboundEmail, OutboundKind, OutboundStatus, SlaNotice
from ..workflows.forms import agents

TARGET_LABELS = {
    "first_response": _("first response"),
    "next_response": _("next response"),
    "resolution": _("resolution"),
}


def admins():
    """Who hears about escalations and unattended tickets: active superusers with an address."""
    users = get_user_model().objects.filter(is_superuser=True, is_active=True)
    return list(users.exclude(email=""))


def responsible(ticket):
    """The agents answerable for ``ticket``: its assignee, else its group's agents."""
    if ticket.assignee_id and ticket.assignee.is_active:
        return [ticket.assignee]
    if ticket.assigned_group_id:
        return list(agents(ticket.assigned_group))
    return []


def notice_recipients(notice):
    ticket = notice.ticket
    people = responsible(ticket)
    if notice.kind == "breach" or not people:
        people += admins()
        people += [f.user for f in ticket.follows.select_related("user") if access.is_agent(f.user)]
    unique = {}
    for person in people:
        if person.email:
            unique.setdefault(person.email.lower(), person)
    return list(unique.values())


def admin_link(ticket_id):
    base = getattr(settings, "WAGTAILADMIN_BASE_URL", "").rstrip("/")
    return f"{base}{reverse('support_desk:ticket', args=[ticket_id])}"


def language_of(user):
    try:
        from wagtail.users.models import UserProfile

        return UserProfile.get_for_user(user).get_preferred_language()
    except Exception:  # a user model without Wagtail's profile
        return settings.LANGUAGE_CODE


def send_notice(notice_id):
    notice = SlaNotice.objects.select_related(
        "ticket__state", "ticket__assignee", "ticket__assigned_group"
    ).get(pk=notice_id)
    ticket = notice.ticket
    sent = 0
    for person in notice_recipients(notice):
        with translation.override(language_of(person)):
            context = {
                "ticket": ticket,
                "notice": notice,
                "target": str(TARGET_LABELS[notice.target]),
                "breached": notice.kind == "breach",
                "due": timezone.localtime(notice.due_at),
                "link": admin_link(ticket.pk),
                "recipient": person,
            }
            subject = render_to_string("wagtail_support/mail/sla_notice_subject.txt", context)
            body = render_to_string("wagtail_support/mail/sla_notice.txt", context)
        sent += _send_once(ticket, f"sla-{notice.pk}", person.email, subject, body)
    return sent


def send_unattended_report(notice_ids):
    notices = list(
        SlaNotice.objects.filter(pk__in=notice_ids).select_related("ticket").order_by("pk")
    )
    if not notices:
        return 0
    tickets = [n.ticket for n in notices]
    sent = 0
    for person in admins():
        with translation.override(language_of(person)):
            context = {
                "tickets": [(t, admin_link(t.pk)) for t in tickets],
                "recipient": person,
            }
            subject = render_to_string("wagtail_support/mail/unattended_subject.txt", context)
            body = render_to_string("wagtail_support/mail/unattended.txt", context)
        key = f"owner-{notices[0].pk}-{len(notices)}"
        sent += _send_once(tickets[0], key, person.email, subject, body)
    return sent


def _send_once(ticket, key, address, subject, body):
    digest = hashlib.sha256(f"{key}:{address.lower()}".encode()).hexdigest()[:20]
    domain = (support_settings.FROM_EMAIL or settings.DEFAULT_FROM_EMAIL).rpartition("@")[2]
    message_id = f"{key}.{digest}@{domain or 'localhost'}"
    record, _created = OutboundEmail.objects.get_or_create(
        email_message_id=message_id,
        defaults={
            "ticket": ticket,
            "kind": OutboundKind.ESCALATION,
            "to": [address],
            "subject": " ".join(subject.split())[:255],
        },
    )
    if record.status == OutboundStatus.SENT:
        return 0
    message = EmailMultiAlternatives(
        subject=record.subject,
        body=body,
        from_email=support_settings.FROM_EMAIL or settings.DEFAULT_FROM_EMAIL,
        to=[address],
        headers={
            **AUTOMATIC_HEADERS,
            LOOP_HEADER: loop_marker(),
            "Message-ID": f"<{message_id}>",
        },
    )
    record.attempts += 1
    try:
        message.send()
    except Exception as error:
        record.status, record.error = OutboundStatus.FAILED, str(error)[:2000]
        record.save(update_fields=["status", "error", "attempts"])
        raise
    record.status, record.sent_at, record.error = OutboundStatus.SENT, timezone.now(), ""
    record.save(update_fields=["status", "sent_at", "error", "attempts"])
    return 1
