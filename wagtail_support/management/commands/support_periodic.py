import logging

from celery import current_app
from django.core.management.base import BaseCommand, CommandError

from wagtail_support.beat import JOBS

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = (
        "Runs the help desk's periodic work once, in this process: every job of celery beat's "
        "schedule (wagtail_support.beat.JOBS): the SLA scan, auto-close, IMAP polling, the sweeps "
        "for incoming mail, notifications and outgoing mail that waited too long, and the purge "
        "of mail past its keep time. For sites without celery beat: run it from cron every minute."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--job",
            action="append",
            choices=[job.name for job in JOBS],
            help="Run only this job (repeat for several); default: all of them.",
        )

    def handle(self, *args, job=None, **options):
        import wagtail_support.tasks  # noqa: F401 (registers the tasks by name)

        reports, failed = [], []
        for entry in JOBS:
            if job and entry.name not in job:
                continue
            # Run here (not queued), through Celery's own tracer: the same task beat would start.
            result = current_app.tasks[entry.task].apply(throw=False)
            if result.failed():
                logger.error("periodic job %s failed:\n%s", entry.name, result.traceback)
                failed.append(entry.name)
                continue
            value = result.result
            if isinstance(value, list):
                value = len(value)
            reports.append(entry.report.format(name=entry.name, result=value))
        self.stdout.write("; ".join(reports))
        if failed:
            raise CommandError(f"periodic jobs failed: {', '.join(failed)}")
