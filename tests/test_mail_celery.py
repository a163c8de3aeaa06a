"""Mail through a real Celery worker on PostgreSQL: the new ticket's notification is planned and
delivered by the worker, and planning it again sends nothing more."""

import time

import pytest
from django.db import connection
from django.test import override_settings

from tests.celery_worker import running_worker
from tests.utils import new_ticket
from wagtail_support import jobs, tasks
from wagtail_support.models import OutboundEmail, TicketEvent
from wagtail_support.models.mail import OutboundKind, OutboundStatus


def database_url():
    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


def wait_for_sent(ticket, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        rows = list(OutboundEmail.objects.filter(ticket=ticket))
        if rows and all(row.status == OutboundStatus.SENT for row in rows):
            return rows
        time.sleep(0.5)
    pytest.fail(f"no worker sent the mail within {seconds} s: {rows!r}")


@pytest.mark.postgres
@pytest.mark.broker
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_worker_plans_and_sends_the_confirmation_once():
    env = {"DATABASE_URL": database_url(), "EMAIL_BACKEND": "anymail.backends.test.EmailBackend"}
    with override_settings(WAGTAIL_SUPPORT_USE_CELERY=True), running_worker(env):
        ticket = new_ticket(email="gus@example.net")
        [row] = wait_for_sent(ticket)
        operation = TicketEvent.objects.filter(ticket=ticket).first().operation
        again = jobs.run(tasks.notify_change, ticket.pk, str(operation)).get(timeout=60)
    assert row.kind == OutboundKind.CONFIRMATION and row.to == ["gus@example.net"]
    assert row.attempts == 1 and row.sent_at is not None
    assert again == [] and OutboundEmail.objects.filter(ticket=ticket).count() == 1
