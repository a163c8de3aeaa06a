"""The same e-mail delivered five times at once makes exactly one message (issue #7): the unique
Message-ID settles the race inside a savepoint, the losers end as duplicates."""

import time

import pytest
from django.test import override_settings

from tests.celery_worker import database_url_for_worker, running_worker
from tests.mail import raw_mail
from tests.utils import at_once
from wagtail_support.mail import inbound
from wagtail_support.models import InboundEmail, Message, Ticket

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _outcome():
    statuses = sorted(InboundEmail.objects.values_list("status", flat=True))
    return statuses, Message.objects.count(), Ticket.objects.count()


def test_five_concurrent_deliveries_in_threads_make_one_message():
    raw = raw_mail(message_id="<five-threads@example.net>")
    _results, errors = at_once(
        5,
        lambda stored: inbound.process(stored.pk),
        prepare=lambda: inbound.store(raw, channel="webhook"),
    )
    assert errors == []
    assert _outcome() == (["duplicate"] * 4 + ["processed"], 1, 1)


@pytest.mark.broker
def test_a_real_worker_given_the_same_mail_five_times_makes_one_message():
    database_url = database_url_for_worker()
    raw = raw_mail(message_id="<five-worker@example.net>")
    with running_worker(
        extra_env={"DATABASE_URL": database_url},
        pool=("--pool=threads", "--concurrency=5"),
    ):
        with override_settings(WAGTAIL_SUPPORT_USE_CELERY=True):
            for _ in range(5):
                inbound.accept(raw, channel="webhook")
        deadline = time.monotonic() + 90
        while InboundEmail.objects.filter(status="received").exists():
            if time.monotonic() > deadline:
                pytest.fail(f"the worker did not process the mail: {_outcome()}")
            time.sleep(0.5)
    assert _outcome() == (["duplicate"] * 4 + ["processed"], 1, 1)
