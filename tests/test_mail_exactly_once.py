"""Mail survives a worker process that dies mid-task (the OOM killer, a crash): the task goes back
to the queue, another process finishes it, and the customer gets the mail once; and a task that
runs twice at the same time sends once.

A real worker runs the tasks; the test holds a row lock they need, so a task is known to be
mid-way when its pool process is killed with SIGKILL. Sends are counted by
bench/loadtest/mailbox.py, one file per send."""

import os
import signal
import time
from pathlib import Path

import pytest
from django.db import connection, transaction
from django.test import override_settings

from bench.loadtest.mailbox import count_sends, file_stem
from tests.celery_worker import database_url_for_worker, running_worker
from tests.utils import new_ticket
from wagtail_support import jobs, tasks
from wagtail_support.models import OutboundEmail, Ticket, TicketEvent
from wagtail_support.models.mail import OutboundKind, OutboundStatus

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.broker,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PREFORK = ("--pool=prefork", "--concurrency=1")


def worker_env(mail_dir):
    return {
        "DATABASE_URL": database_url_for_worker(),
        "EMAIL_BACKEND": "bench.loadtest.mailbox.RecordingBackend",
        "LOADTEST_MAIL_DIR": str(mail_dir),
    }


def pool_processes(worker):
    found = Path(f"/proc/{worker.pid}/task/{worker.pid}/children").read_text().split()
    return [int(pid) for pid in found]


def wait_until(condition, seconds, what):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.2)
    pytest.fail(f"{what} within {seconds} s")


def waiting_for_a_lock():
    with connection.cursor() as cursor:
        # Inside a transaction the activity view is a snapshot taken at its first reading.
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0]


def kill_the_pool_process_mid_task(worker, lock, start_task):
    """Starts the task while ``lock`` (a queryset) is held, kills the pool process once the task
    waits for it, then lets go."""
    assert jobs.run(tasks.ping).get(timeout=180) == "pong"  # the worker is up
    with transaction.atomic():
        lock.select_for_update().get()
        start_task()
        wait_until(waiting_for_a_lock, 60, "the task did not reach the locked row")
        [pool_process] = pool_processes(worker)
        os.kill(pool_process, signal.SIGKILL)
    wait_until(lambda: pool_processes(worker) not in ([], [pool_process]), 60, "no new process")


def sent_once(row, mail_dir):
    row.refresh_from_db()
    return row.status == OutboundStatus.SENT and count_sends(mail_dir) == {
        file_stem(row.email_message_id): 1
    }


def test_a_delivery_whose_process_dies_is_sent_once_by_the_next(tmp_path):
    with override_settings(WAGTAIL_SUPPORT_USE_CELERY=True):
        ticket = new_ticket(email="hal@example.net")  # its planning task is purged below
        row = OutboundEmail.objects.create(
            ticket=ticket,
            kind=OutboundKind.CONFIRMATION,
            email_message_id="once.1@example.com",
            to=["hal@example.net"],
            subject="Received",
            body="We have your request.",
        )
        with running_worker(worker_env(tmp_path), pool=PREFORK) as worker:
            kill_the_pool_process_mid_task(
                worker,
                OutboundEmail.objects.filter(pk=row.pk),
                lambda: jobs.run(tasks.deliver_email, row.pk),
            )
            wait_until(lambda: sent_once(row, tmp_path), 60, "the mail was not sent once")
    assert row.attempts == 1


def test_planning_whose_process_dies_is_done_by_the_next(tmp_path):
    with override_settings(WAGTAIL_SUPPORT_USE_CELERY=True):
        ticket = new_ticket(email="ida@example.net")
        operation = TicketEvent.objects.filter(ticket=ticket).first().operation
        with running_worker(worker_env(tmp_path), pool=PREFORK) as worker:
            # Queueing its mail needs a key-share lock on the ticket, which this lock blocks.
            kill_the_pool_process_mid_task(
                worker,
                Ticket.objects.filter(pk=ticket.pk),
                lambda: jobs.run(tasks.notify_change, ticket.pk, str(operation)),
            )
            row = wait_until(
                lambda: OutboundEmail.objects.filter(ticket=ticket).first(),
                60,
                "the confirmation was never queued",
            )
            wait_until(lambda: sent_once(row, tmp_path), 60, "the mail was not sent once")
    assert row.kind == OutboundKind.CONFIRMATION and row.to == ["ida@example.net"]


def test_two_deliveries_of_one_row_at_once_send_it_once(tmp_path):
    """What a message handed out again after Redis's visibility timeout does: the second run
    waits for the first one's row lock, then finds the mail sent."""
    with override_settings(WAGTAIL_SUPPORT_USE_CELERY=True):
        ticket = new_ticket(email="jo@example.net")
        row = OutboundEmail.objects.create(
            ticket=ticket,
            kind=OutboundKind.CONFIRMATION,
            email_message_id="once.2@example.com",
            to=["jo@example.net"],
            subject="Received",
            body="We have your request.",
        )
        threads = ("--pool=threads", "--concurrency=2")
        with running_worker(worker_env(tmp_path), pool=threads):
            assert jobs.run(tasks.ping).get(timeout=180) == "pong"
            with transaction.atomic():
                OutboundEmail.objects.select_for_update().get(pk=row.pk)
                results = [jobs.run(tasks.deliver_email, row.pk) for _ in range(2)]
                wait_until(lambda: waiting_for_a_lock() == 2, 60, "both runs did not start")
            assert [result.get(timeout=60) for result in results] == ["sent", "sent"]
    assert sent_once(row, tmp_path) and row.attempts == 1
