import datetime as dt

import pytest
from celery.result import EagerResult
from django.core.cache import cache
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from tests.celery_worker import running_worker
from tests.testapp.tasks import remember
from wagtail_support import jobs
from wagtail_support.tasks import ping


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()


@pytest.mark.django_db
def test_enqueued_work_waits_for_the_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        jobs.enqueue(remember, "job", "done")
        assert cache.get("job") is None
    assert len(callbacks) == 1
    callbacks[0]()
    assert cache.get("job") == "done"


class Boom(Exception):
    pass


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_rollback_drops_the_work():
    with pytest.raises(Boom), transaction.atomic():
        jobs.enqueue(remember, "job", "done")
        raise Boom
    assert cache.get("job") is None


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_failing_background_task_is_logged_not_raised(caplog):
    from tests.testapp.tasks import explode

    jobs.enqueue(explode)  # outside a transaction: runs at once
    assert "background task testapp.explode failed" in caplog.text


def test_without_celery_the_work_runs_in_process_and_returns_its_result():
    assert jobs.run(remember, "job", "here") == "here"
    assert cache.get("job") == "here"


@pytest.mark.broker
@override_settings(WAGTAIL_SUPPORT_USE_CELERY=True)
def test_with_celery_the_work_goes_to_a_worker():
    with running_worker():
        result = jobs.run(ping)
        assert result.get(timeout=60) == "pong"
        assert not isinstance(result, EagerResult)


@pytest.mark.django_db
def test_support_periodic_runs_every_job_of_the_beat_schedule(capsys):
    """Cron and beat run one list (beat.JOBS): the command once skipped IMAP polling and the
    sweeps for incoming and outgoing mail while the docs said it did what beat does."""
    from celery.signals import task_prerun
    from django.core.management import call_command

    from wagtail_support.beat import BEAT_SCHEDULE

    ran = []

    def record(sender=None, **kwargs):
        ran.append(sender.name)

    task_prerun.connect(record, weak=False)
    try:
        call_command("support_periodic")
    finally:
        task_prerun.disconnect(record)
    assert sorted(ran) == sorted(entry["task"] for entry in BEAT_SCHEDULE.values())
    assert "SLA notices: 0; unattended reported: 0; auto-closed: 0" in capsys.readouterr().out


@pytest.mark.django_db
def test_one_failing_job_does_not_stop_the_others(monkeypatch, capsys):
    from django.core.management import CommandError, call_command

    from wagtail_support.sla import escalation

    def broken(now=None):
        raise RuntimeError("the database is on fire")

    monkeypatch.setattr(escalation, "auto_close", broken)
    with pytest.raises(CommandError, match="auto-close"):
        call_command("support_periodic")
    out = capsys.readouterr().out
    assert "SLA notices: 0" in out and "mail bodies removed: 0 sent" in out


@pytest.mark.django_db
def test_support_periodic_runs_one_job_when_asked(capsys):
    from django.core.management import call_command

    call_command("support_periodic", job=["pending-notifications"])
    assert capsys.readouterr().out.strip() == "changes notified late: 0"


def test_the_sweeps_intervals_are_read_from_the_settings_when_beat_asks():
    import pickle

    from wagtail_support.beat import BEAT_SCHEDULE

    schedule = BEAT_SCHEDULE["wagtail-support-pending-notifications"]["schedule"]
    assert schedule.seconds == 300
    # Beat keeps its schedule in a shelve file: what comes back still reads the setting.
    stored = pickle.loads(pickle.dumps(schedule))
    with override_settings(WAGTAIL_SUPPORT_SWEEP_NOTIFICATIONS_EVERY=7):
        assert schedule.seconds == 7 and stored.seconds == 7
        assert schedule.is_due(timezone.now() - dt.timedelta(seconds=8)).is_due
        assert not schedule.is_due(timezone.now() - dt.timedelta(seconds=5)).is_due
    for name, setting in (
        ("wagtail-support-requeue-inbound", "WAGTAIL_SUPPORT_SWEEP_INBOUND_EVERY"),
        ("wagtail-support-stale-mail", "WAGTAIL_SUPPORT_SWEEP_OUTBOUND_EVERY"),
    ):
        with override_settings(**{setting: 11}):
            assert BEAT_SCHEDULE[name]["schedule"].seconds == 11
