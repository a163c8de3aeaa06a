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


def test_the_task_is_acknowledged_late_and_given_back_if_the_worker_dies():
    assert tasks.process_inbound.acks_late and tasks.process_inbound.reject_on_worker_lost
    assert tasks.process_inbound.max_retries >= 5
    assert tasks.poll_mailbox.acks_late


class Retried(Exception):
    pass


def test_database_trouble_is_retried_with_backoff_and_the_mail_then_processed(monkeypatch):
    calls, retries = [], []
    real = inbound._process

    def flaky(row):
        calls.append(row.pk)
        if len(calls) == 1:
            raise OperationalError("server closed the connection unexpectedly")
        return real(row)

    def retry(exc=None, countdown=None, **kwargs):
        retries.append((type(exc), countdown))
        raise Retried

    monkeypatch.setattr(inbound, "_process", flaky)
    monkeypatch.setattr(tasks.process_inbound, "retry", retry)
    raw = raw_mail()
    stored = inbound.store(raw, channel="webhook")
    with pytest.raises(Retried):
        tasks.process_inbound(stored.pk)
    assert retries == [(OperationalError, 2)]
    row = InboundEmail.objects.get()
    assert row.status == "received" and bytes(row.raw) == raw  # waiting for the retry
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert tasks.process_inbound(stored.pk) == "processed"
    assert Message.objects.count() == 1


def test_other_errors_are_not_retried_but_leave_the_mail_failed(monkeypatch):
    def bug(row):
        raise KeyError("bug")

    monkeypatch.setattr(inbound, "_process", bug)
    stored = inbound.store(raw_mail(), channel="webhook")
    assert tasks.process_inbound(stored.pk) == "failed"
    assert InboundEmail.objects.get().error


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
