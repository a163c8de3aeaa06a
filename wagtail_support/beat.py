"""The periodic work of the help desk, for celery beat. A site merges it into its own schedule:

    from wagtail_support.beat import BEAT_SCHEDULE
    CELERY_BEAT_SCHEDULE = {**BEAT_SCHEDULE, ...}

A site without Celery runs ``manage.py support_periodic`` from cron instead.
"""

BEAT_SCHEDULE = {
    "wagtail-support-sla-scan": {"task": "wagtail_support.sla_scan", "schedule": 60.0},
    "wagtail-support-auto-close": {"task": "wagtail_support.auto_close", "schedule": 3600.0},
    # Mail whose delivery task never started (broker down, worker lost) goes out late, not never.
    "wagtail-support-stale-mail": {"task": "wagtail_support.send_stale_email", "schedule": 300.0},
    # Every source's IMAP mailbox once a minute; stored mail whose processing never ran, again.
    "wagtail-support-poll-mailboxes": {"task": "wagtail_support.poll_mailboxes", "schedule": 60.0},
    "wagtail-support-requeue-inbound": {
        "task": "wagtail_support.requeue_inbound",
        "schedule": 300.0,
    },
    # Sent mail bodies and raw incoming mail past their keep time (WAGTAIL_SUPPORT_*_DAYS).
    "wagtail-support-purge-mail": {"task": "wagtail_support.purge_mail", "schedule": 3600.0},
    # Tickets in the trash longer than WAGTAIL_SUPPORT_TRASH_DAYS (tasks_trash.py).
    "wagtail-support-purge-trash": {"task": "wagtail_support.purge_trash", "schedule": 3600.0},
}
