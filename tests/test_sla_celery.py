"""End to end on a real Celery worker and broker: beat's scan, run three times (two of them at
once), finds one breached ticket and exactly one e-mail goes out."""

import datetime as dt
import time

import pytest
from celery.exceptions import TimeoutError as CeleryTimeout
from django.utils import timezone

from tests.celery_worker import database_url_for_worker, running_worker
from tests.sla_utils import make_level
from tests.utils import make_user, new_ticket
from wagtail_support.models import OutboundEmail, SlaNotice
from wagtail_support.tasks import sla_scan

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.broker,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def wait_for(condition, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.5)
    return False


def test_one_breach_makes_exactly_one_email(clock):
    real_now = timezone.datetime.now(dt.UTC)
    make_user("root", superuser=True)
    make_level("Round the clock", first=1, warning=0)
    clock.set(real_now - dt.timedelta(minutes=10))  # the ticket came in ten minutes ago
    ticket = new_ticket(email="late@example.com", subject="Nobody answered me")
    clock.set(real_now)

    env = {
        "DATABASE_URL": database_url_for_worker(),
        "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend",
    }
    with running_worker(env) as worker:
        results = [sla_scan.delay(), sla_scan.delay()]
        try:
            for result in results:
                result.get(timeout=60)
            results = [sla_scan.delay()]
            results[0].get(timeout=60)
        except CeleryTimeout:
            pytest.fail("the worker did not run the scans within 60 s")
        sent = OutboundEmail.objects.filter(
            ticket=ticket, kind="escalation", status="sent", subject__contains="Breached"
        )
        assert wait_for(lambda: sent.exists()), "no escalation mail was sent"
        time.sleep(3)  # long enough for a duplicate to show up if there were one
    assert SlaNotice.objects.filter(ticket=ticket, kind="breach").count() == 1
    assert sent.count() == 1 and sent.get().to == ["root@example.com"]
    assert worker.output.count(f"Subject: [{ticket.number}] Breached") == 1, worker.output[-3000:]
