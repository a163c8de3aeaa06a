"""Celery tasks. Each one is a thin adapter that calls a service; none holds business logic."""

from celery import shared_task


@shared_task(name="wagtail_support.ping")
def ping():
    """Answers "pong": lets a deployment (and the test suite) prove that a worker consumes the
    broker's queue and can reach the result backend."""
    return "pong"


@shared_task(name="wagtail_support.send_confirmation")
def send_confirmation(ticket_id):
    """Tells the customer their request was registered, with its number (R-IN6)."""
    from .mail.confirmation import send_confirmation as send

    send(ticket_id)


# Retried with backoff when the mail server or ESP fails; acknowledged only once done, so a worker
# that dies mid-task leaves the message for another. Each sends at most once per recipient.
RETRYING = {
    "autoretry_for": (Exception,),
    "retry_backoff": True,
    "retry_backoff_max": 600,
    "max_retries": 8,
    "acks_late": True,
}


@shared_task(name="wagtail_support.sla_scan")
def sla_scan():
    """Celery beat, every minute: SLA warnings and breach notices, and the admins' report of
    tickets nobody is responsible for."""
    from .sla import escalation

    sent = escalation.scan()
    reported = escalation.report_unattended()
    return {"notices": len(sent), "unattended": len(reported)}


@shared_task(name="wagtail_support.auto_close")
def auto_close():
    """Celery beat, hourly: closes tickets left in a state with "auto-close after N days"."""
    from .sla import escalation

    return len(escalation.auto_close())


@shared_task(name="wagtail_support.send_sla_notice", **RETRYING)
def send_sla_notice(notice_id):
    from .sla.notify import send_notice

    return send_notice(notice_id)


@shared_task(name="wagtail_support.send_unattended_report", **RETRYING)
def send_unattended_report(notice_ids):
    from .sla.notify import send_unattended_report as send

    return send(notice_ids)
