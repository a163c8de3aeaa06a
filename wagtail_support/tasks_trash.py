"""The periodic purge of the trash, as a Celery task (a thin adapter over ``trash``).

Not in ``tasks.py`` yet, which Celery's autodiscovery imports: until the periodic jobs are one
list, a worker registers this task only once something imports this module."""

from celery import shared_task


@shared_task(name="wagtail_support.purge_trash")
def purge_trash():
    """Celery beat, hourly: removes for good the tickets in the trash for longer than
    ``WAGTAIL_SUPPORT_TRASH_DAYS``; the number removed."""
    from . import trash

    return trash.purge_expired()
