"""The periodic work of the help desk: one list, ``JOBS``, that celery beat's schedule and
``manage.py support_periodic`` (the cron path) are both made from, so they cannot drift apart.
Adding a job is one line in ``JOBS``.

A site with celery beat merges the schedule into its own:

    from wagtail_support.beat import BEAT_SCHEDULE
    CELERY_BEAT_SCHEDULE = {**BEAT_SCHEDULE, ...}

A site without Celery runs ``manage.py support_periodic`` from cron instead.

This module is imported by settings files, before Django is set up: intervals kept in settings
are read when beat asks for them, never here.
"""

from dataclasses import dataclass
from datetime import timedelta

from celery.schedules import schedule


@dataclass(frozen=True)
class Job:
    name: str  # the beat entry is "wagtail-support-<name>"; support_periodic --job <name>
    task: str  # the Celery task's name (wagtail_support/tasks.py)
    every: float | str  # seconds, or the WAGTAIL_SUPPORT_ setting that holds them
    report: str = "{name}: {result}"  # support_periodic's summary; {result} is the task's


JOBS = (
    Job(
        "sla-scan",
        "wagtail_support.sla_scan",
        60,
        "SLA notices: {result[notices]}; unattended reported: {result[unattended]}",
    ),
    Job("auto-close", "wagtail_support.auto_close", 3600, "auto-closed: {result}"),
    # Every source's IMAP mailbox.
    Job("poll-mailboxes", "wagtail_support.poll_mailboxes", 60, "mailboxes polled"),
    # The sweeps: work whose task never ran or was lost with a worker (docs/scaling.md).
    Job(
        "requeue-inbound",
        "wagtail_support.requeue_inbound",
        "SWEEP_INBOUND_EVERY",
        "stored mail processed again: {result}",
    ),
    Job(
        "pending-notifications",
        "wagtail_support.notify_pending",
        "SWEEP_NOTIFICATIONS_EVERY",
        "changes notified late: {result}",
    ),
    Job(
        "stale-mail",
        "wagtail_support.send_stale_email",
        "SWEEP_OUTBOUND_EVERY",
        "queued mail sent late: {result}",
    ),
    # Sent mail bodies and raw incoming mail past their keep time (WAGTAIL_SUPPORT_*_DAYS).
    Job(
        "purge-mail",
        "wagtail_support.purge_mail",
        3600,
        "mail bodies removed: {result[sent_mail]} sent, {result[inbound_mail]} received, "
        "{result[sent_html]} HTML parts",
    ),
    # Tickets in the trash longer than WAGTAIL_SUPPORT_TRASH_DAYS (trash.py).
    Job(
        "purge-trash",
        "wagtail_support.purge_trash",
        3600,
        "tickets purged from the trash: {result}",
    ),
)


class every(schedule):  # lower case, like Celery's own schedule and crontab
    """An interval kept in a wagtail-support setting, read each time beat asks, so the setting
    is the site's to set (and ``override_settings`` works)."""

    def __init__(self, setting, relative=False, nowfun=None, app=None):
        self.setting = setting
        super().__init__(None, relative, nowfun, app)

    @property
    def run_every(self):
        from .conf import support_settings

        return timedelta(seconds=getattr(support_settings, self.setting))

    @run_every.setter
    def run_every(self, value):
        pass  # always the setting's

    def __reduce__(self):
        return self.__class__, (self.setting, self.relative, self.nowfun)

    def __repr__(self):
        return f"<every {self.setting}>"


def beat_entry(job):
    interval = every(job.every) if isinstance(job.every, str) else float(job.every)
    return {"task": job.task, "schedule": interval}


BEAT_SCHEDULE = {f"wagtail-support-{job.name}": beat_entry(job) for job in JOBS}
