"""Where background work runs: on Celery when the site has a broker, in-process otherwise.

Every service schedules its background work through ``enqueue`` so a site without Celery still
works (the work runs in the request, after the commit) and one with Celery moves it to workers
without any other change.
"""

import logging

from django.db import transaction

from .conf import support_settings

logger = logging.getLogger(__name__)


def run(task, *args, **kwargs):
    """Starts ``task`` now: queued to Celery, or executed here and its result returned."""
    if support_settings.USE_CELERY:
        return task.apply_async(args=args, kwargs=kwargs)
    return task.apply(args=args, kwargs=kwargs, throw=True).get()


def enqueue(task, *args, **kwargs):
    """Starts ``task`` once the current transaction commits (at once outside a transaction), so a
    worker never looks for rows that are not committed yet, and a rollback sends nothing.

    Run in-process, a failing task is logged, not raised: the request that scheduled it has
    already done its work (a ticket is saved) and must not turn into an error page."""

    def start():
        try:
            run(task, *args, **kwargs)
        except Exception:
            logger.exception("background task %s failed", task.name)

    transaction.on_commit(start)
