"""Who hears about service levels, handed to the outbound mail framework (which renders each mail
in the recipient's language, records it as an OutboundEmail and sends it once per key):

- a warning before a target is due goes to the ticket's assignee, or its group's agents;
- a breach also goes to the supervisors and to the agents following the ticket;
- with nobody responsible, both go to the supervisors;
- the supervisors hear once about each open ticket nobody is responsible for (R-WF5).
"""

from django.utils.translation import gettext_lazy as _

from ..mail import escalation, recipients
from ..models import NoticeKind, OutboundKind, SlaNotice


def notice_recipients(notice):
    """Users; the mail framework leaves out anyone who may not see the ticket."""
    ticket = notice.ticket
    if ticket.assignee_id and ticket.assignee.is_active:
        people = [ticket.assignee]
    else:
        people = recipients.group_users(ticket)
    if notice.kind == NoticeKind.BREACH or not people:
        people += recipients.supervisor_users() + recipients.follower_users(ticket)
    return list({person.pk: person for person in people}.values())


def send_notice(notice_id):
    notice = SlaNotice.objects.select_related("ticket__assignee", "ticket__assigned_group").get(
        pk=notice_id
    )
    minutes = None
    if notice.kind == NoticeKind.WARNING:
        minutes = max(1, round((notice.due_at - notice.created_at).total_seconds() / 60))
    return escalation.send_escalation(
        notice.ticket,
        notice_recipients(notice),
        target=notice.target,
        due=notice.due_at,
        minutes=minutes,
        key=f"notice-{notice.pk}",
    )


def send_unattended_report(notice_ids):
    sent = []
    for notice in SlaNotice.objects.filter(pk__in=notice_ids).select_related("ticket"):
        sent += escalation.notify(
            notice.ticket,
            "agent",
            recipients.supervisor_users(),
            key=f"unattended-{notice.pk}",
            kind=OutboundKind.NOTIFICATION,
            context={"reason": _("Nobody is responsible for this request.")},
        )
    return sent
