"""Celery tasks. Each one is a thin adapter that calls a service; none holds business logic."""

from celery import shared_task

from .conf import support_settings


@shared_task(name="wagtail_support.ping")
def ping():
    """Answers "pong": lets a deployment (and the test suite) prove that a worker consumes the
    broker's queue and can reach the result backend."""
    return "pong"


@shared_task(name="wagtail_support.send_confirmation", acks_late=True)
def send_confirmation(ticket_id):
    """Tells the customer their request was registered, with its number (R-IN6). New tickets are
    confirmed by themselves (``notify_change``); running this again never sends a second one."""
    from .mail.confirmation import send_confirmation as send

    return [row.pk for row in send(ticket_id)]


@shared_task(name="wagtail_support.notify_change", acks_late=True)
def notify_change(ticket_id, operation):
    """Queues every e-mail one change of a ticket causes (safe to run twice)."""
    from .mail.notify import notify_change as plan

    return [row.pk for row in plan(ticket_id, operation)]


def backoff(retries):
    """Seconds before retry number ``retries + 1``: 30 s, 1 min, 2 min, … at most an hour."""
    return min(3600, 30 * 2**retries)


@shared_task(name="wagtail_support.deliver_email", bind=True, acks_late=True, max_retries=None)
def deliver_email(self, outbound_id):
    """Sends one queued OutboundEmail; a failure is retried with growing waits."""
    from .mail.outbound import DeliveryFailed, deliver

    try:
        row = deliver(outbound_id)
    except DeliveryFailed as error:
        retries = self.request.retries
        if retries >= support_settings.SEND_RETRIES:
            raise
        if self.request.is_eager:
            # Run in-process there is no worker to come back later: the next attempt is now.
            return self.apply(args=(outbound_id,), retries=retries + 1, throw=True).get()
        raise self.retry(exc=error, countdown=backoff(self.request.retries)) from error
    return row.status if row else None


@shared_task(name="wagtail_support.send_stale_email", acks_late=True)
def send_stale_email():
    """For celery beat: delivers mail whose delivery never started."""
    from .mail.outbound import resend_stale

    return resend_stale()


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


@shared_task(name="wagtail_support.send_sla_notice", acks_late=True)
def send_sla_notice(notice_id):
    from .sla.notify import send_notice

    return send_notice(notice_id)


@shared_task(name="wagtail_support.send_unattended_report", acks_late=True)
def send_unattended_report(notice_ids):
    from .sla.notify import send_unattended_report as send

    return send(notice_ids)
