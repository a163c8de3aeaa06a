"""Celery tasks. Each one is a thin adapter that calls a service; none holds business logic.

A task returns ids, numbers or strings, never model rows: a worker stores the result through
Celery's JSON serialiser, and a row fails there (EncodeError) after the work is done.
"""

import logging

from celery import shared_task

from .conf import support_settings

logger = logging.getLogger(__name__)

# Mail tasks are acknowledged when they end, and a worker process that dies mid-task (the OOM
# killer, a crash) gives its message back to the queue instead of acknowledging it: otherwise a
# ticket's notifications were never planned, or a queued mail waited for the stale-mail sweep.
# Each of these tasks is safe to run again: rows are keyed by Message-ID, and a row is sent under
# its row lock, so a second run finds it sent.
MAIL_TASK = {"acks_late": True, "reject_on_worker_lost": True}


@shared_task(name="wagtail_support.ping")
def ping():
    """Answers "pong": lets a deployment (and the test suite) prove that a worker consumes the
    broker's queue and can reach the result backend."""
    return "pong"


@shared_task(name="wagtail_support.send_confirmation", **MAIL_TASK)
def send_confirmation(ticket_id):
    """Tells the customer their request was registered, with its number (R-IN6). New tickets are
    confirmed by themselves (``notify_change``); running this again never sends a second one."""
    from .mail.confirmation import send_confirmation as send

    return [row.pk for row in send(ticket_id)]


@shared_task(name="wagtail_support.notify_change", **MAIL_TASK)
def notify_change(ticket_id, operation, again=False):
    """Queues every e-mail one change of a ticket causes, and those of earlier changes whose
    task was lost (safe to run twice; mail/pending.py). ``again``: plan a change already planned
    once, whose mail was held then (a ticket released from spam); each mail is still keyed by
    its Message-ID, so what went out does not go out twice."""
    from .mail import notify, pending

    if again:
        return [row.pk for row in notify.notify_change(ticket_id, str(operation))]
    return pending.plan(ticket_id, operation)


def backoff(retries):
    """Seconds before retry number ``retries + 1``: 30 s, 1 min, 2 min, … at most an hour."""
    return min(3600, 30 * 2**retries)


@shared_task(name="wagtail_support.deliver_email", bind=True, max_retries=None, **MAIL_TASK)
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
def send_stale_email(older_than_seconds=None):
    """Periodic: delivers mail still queued WAGTAIL_SUPPORT_SWEEP_OUTBOUND_AFTER seconds after
    it was made (its delivery task never started or was lost)."""
    from .mail.outbound import resend_stale

    seconds = _age(older_than_seconds, "SWEEP_OUTBOUND_AFTER")
    return resend_stale(minutes=seconds / 60)


@shared_task(name="wagtail_support.notify_pending")
def notify_pending(older_than_seconds=None):
    """Periodic: plans the notifications of changes left unplanned for
    WAGTAIL_SUPPORT_SWEEP_NOTIFICATIONS_AFTER seconds (their notify_change task was lost)."""
    from .mail import pending

    return pending.sweep(_age(older_than_seconds, "SWEEP_NOTIFICATIONS_AFTER"))


def _age(given, setting):
    return getattr(support_settings, setting) if given is None else given


@shared_task(name="wagtail_support.sla_scan")
def sla_scan():
    """Periodic, every minute: SLA warnings and breach notices, and the admins' report of
    tickets nobody is responsible for."""
    from .sla import escalation

    sent = escalation.scan()
    reported = escalation.report_unattended()
    return {"notices": len(sent), "unattended": len(reported)}


@shared_task(name="wagtail_support.auto_close")
def auto_close():
    """Periodic, hourly: closes tickets left in a state with "auto-close after N days"."""
    from .sla import escalation

    return len(escalation.auto_close())


@shared_task(name="wagtail_support.purge_mail")
def purge_mail():
    """Periodic, hourly: empties mail bodies past their keep time (mail/retention.py)."""
    from .mail import retention

    return retention.purge()


@shared_task(name="wagtail_support.purge_trash")
def purge_trash():
    """Periodic, hourly: removes for good the tickets in the trash for longer than
    ``WAGTAIL_SUPPORT_TRASH_DAYS`` (trash.py); the number removed."""
    from . import trash

    return trash.purge_expired()


@shared_task(name="wagtail_support.send_sla_notice", **MAIL_TASK)
def send_sla_notice(notice_id):
    """One SLA warning or breach notice to the agents; the ids of the mail queued."""
    from .sla.notify import send_notice

    return [row.pk for row in send_notice(notice_id)]


@shared_task(name="wagtail_support.send_unattended_report", **MAIL_TASK)
def send_unattended_report(notice_ids):
    """The supervisors' report of tickets nobody is responsible for; the ids of the mail queued."""
    from .sla.notify import send_unattended_report as send

    return [row.pk for row in send(notice_ids)]


@shared_task(
    name="wagtail_support.process_inbound",
    bind=True,
    acks_late=True,
    # A worker that dies mid-task gives the message back to the queue; processing is idempotent.
    reject_on_worker_lost=True,
    max_retries=8,
)
def process_inbound(self, inbound_id):
    """Processes one stored incoming e-mail. The raw copy is already committed, so a failure
    here only delays it: database trouble is retried with backoff, anything else leaves the row
    "failed" for an admin to reprocess."""
    from .mail.inbound import TRANSIENT, process

    try:
        return process(inbound_id).status
    except TRANSIENT as exc:
        raise self.retry(exc=exc, countdown=min(600, 2 ** (self.request.retries + 1))) from exc


@shared_task(name="wagtail_support.poll_mailboxes")
def poll_mailboxes():
    """Periodic, every minute: one polling task per Source with an IMAP mailbox."""
    from . import jobs
    from .mail.imap import mailbox_sources

    for source_id in mailbox_sources().values_list("pk", flat=True):
        try:
            jobs.run(poll_mailbox, source_id)
        except Exception:  # in-process: one broken mailbox must not stop the others
            logger.exception("polling the mailbox of source %s failed", source_id)


@shared_task(
    name="wagtail_support.poll_mailbox",
    bind=True,
    acks_late=True,
    max_retries=5,
    autoretry_for=(OSError,),
    retry_backoff=True,
    retry_backoff_max=600,
)
def poll_mailbox(self, source_id):
    """Fetches one Source's unseen mail into the inbound pipeline."""
    from .mail.imap import mailbox_sources, poll

    source = mailbox_sources().filter(pk=source_id).first()
    return len(poll(source)) if source is not None else 0


@shared_task(name="wagtail_support.requeue_inbound")
def requeue_inbound(older_than_seconds=None):
    """Periodic: stored mail still waiting WAGTAIL_SUPPORT_SWEEP_INBOUND_AFTER seconds after it
    came (the broker was down, or a worker lost its task) is processed again. Processing is
    idempotent, so a twin is harmless."""
    from . import jobs
    from .mail.inbound import waiting

    seconds = _age(older_than_seconds, "SWEEP_INBOUND_AFTER")
    waiting_ids = list(waiting(seconds / 60).values_list("pk", flat=True)[:500])
    for inbound_id in waiting_ids:
        try:
            jobs.run(process_inbound, inbound_id)
        except Exception:  # in-process: the next mail still gets its turn
            logger.exception("inbound mail %s failed again", inbound_id)
    return len(waiting_ids)
