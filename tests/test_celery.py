import pytest
from celery.exceptions import TimeoutError as CeleryTimeout

from tests.celery_worker import running_worker
from wagtail_support.tasks import ping


def test_tasks_run_in_process_without_a_broker():
    assert ping.delay().get(timeout=1) == "pong"


@pytest.mark.broker
def test_a_real_worker_consumes_the_broker_queue():
    with running_worker():
        result = ping.delay()
        try:
            assert result.get(timeout=60) == "pong"
        except CeleryTimeout:
            pytest.fail("no worker answered within 60 s")
        # Not eager: the answer came back through the result backend from the worker process.
        assert result.backend.__class__.__name__ == "RedisBackend"
