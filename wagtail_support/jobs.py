"""Where background work runs: on Celery when the site has a broker, in-process otherwise.

Every service schedules its background work through ``enqueue`` so a site without Celery still
works (the work runs in the request, after the commit) and one with Celery moves it to workers
without any other change.
"""

from django.db import transaction

from .conf import support_settings


def run(task, *args, **kwargs):
    """Starts ``task`` now: queued to Celery, or executed here and its result returned."""
    if support_settings.USE_CELERY:
        return task.apply_async(args=args, kwargs=kwargs)
    return task.apply(args=args, kwargs=kwargs, throw=True).get()


def enqueue(task, *args, **kwargs):
    """Starts ``task`` once the current transaction commits (at once outside a transaction), so a
    worker never looks for rows that are not committed yet, and a rollback sends nothing."""
    transaction.on_commit(lambda: run(task, *args, **kwargs))
