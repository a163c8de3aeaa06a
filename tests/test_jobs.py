import pytest
from celery.result import EagerResult
from django.core.cache import cache
from django.db import transaction
from django.test import override_settings

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
