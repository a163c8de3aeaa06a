"""The processing task: late acknowledgement, retries with backoff on database trouble, and a raw
copy that survives every failure (issue #7, item 4)."""

import pytest
from django.db import OperationalError
from django.test import TestCase

from tests.mail import raw_mail
from wagtail_support import tasks
from wagtail_support.mail import inbound
from wagtail_support.models import InboundEmail, Message

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def retries_run_in_process():
    """Eagerly applied, a retry runs at once, in place, unless errors propagate (as the sandbox
    sets them to) before Celery can retry."""
    conf = tasks.process_inbound.app.conf
    old = conf.task_eager_propagates
    conf.task_eager_propagates = False
    yield
    conf.task_eager_propagates = old


def test_the_task_is_acknowledged_late_and_given_back_if_the_worker_dies():
    assert tasks.process_inbound.acks_late and tasks.process_inbound.reject_on_worker_lost
    assert tasks.process_inbound.max_retries >= 5
    assert tasks.poll_mailbox.acks_late


def test_database_trouble_is_retried_and_the_mail_then_processed(monkeypatch):
    real = inbound._process
    calls = []

    def flaky(row):
        calls.append(row.pk)
        if len(calls) < 3:
            raise OperationalError("server closed the connection unexpectedly")
        return real(row)

    monkeypatch.setattr(inbound, "_process", flaky)
    stored = inbound.store(raw_mail(), channel="webhook")
    with TestCase.captureOnCommitCallbacks(execute=True):
        result = tasks.process_inbound.apply(args=[stored.pk])
    assert result.successful() and result.get() == "processed"
    assert len(calls) == 3 and Message.objects.count() == 1


def test_when_retries_run_out_the_raw_copy_waits_to_be_processed_again(monkeypatch):
    def down(row):
        raise OperationalError("database is down")

    monkeypatch.setattr(inbound, "_process", down)
    raw = raw_mail()
    stored = inbound.store(raw, channel="webhook")
    result = tasks.process_inbound.apply(args=[stored.pk])
    assert result.failed()
    row = InboundEmail.objects.get()
    assert row.status == "received" and bytes(row.raw) == raw
    monkeypatch.undo()
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert inbound.process(row.pk).status == "processed"


def test_mail_whose_task_never_ran_is_queued_again():
    from datetime import timedelta

    from django.utils import timezone

    old = inbound.store(raw_mail(), channel="webhook")  # stored, but its task was lost
    InboundEmail.objects.filter(pk=old.pk).update(received_at=timezone.now() - timedelta(hours=1))
    fresh = inbound.store(raw_mail(), channel="webhook")
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert tasks.requeue_inbound.apply().get() == 1
    old.refresh_from_db()
    fresh.refresh_from_db()
    assert old.status == "processed" and fresh.status == "received"
