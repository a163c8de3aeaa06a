"""The same e-mail delivered five times at once makes exactly one message (issue #7): the unique
Message-ID settles the race inside a savepoint, the losers end as duplicates."""

import threading
import time

import pytest
from django.db import connection
from django.test import override_settings

from tests.celery_worker import running_worker
from tests.mail import raw_mail
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
    barrier = threading.Barrier(5)
    errors = []

    def deliver():
        try:
            stored = inbound.store(raw, channel="webhook")
            barrier.wait(timeout=30)
            inbound.process(stored.pk)
        except Exception as error:  # reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    workers = [threading.Thread(target=deliver) for _ in range(5)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert errors == []
    assert _outcome() == (["duplicate"] * 4 + ["processed"], 1, 1)


@pytest.mark.broker
def test_a_real_worker_given_the_same_mail_five_times_makes_one_message():
    settings = connection.settings_dict
    database_url = (
        f"postgres://{settings['USER']}:{settings['PASSWORD'] or ''}@{settings['HOST']}:"
        f"{settings['PORT'] or 5432}/{settings['NAME']}"
    )
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
