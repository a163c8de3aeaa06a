import pytest
from celery.exceptions import TimeoutError as CeleryTimeout
from celery.result import EagerResult

from tests.celery_worker import running_worker
from wagtail_support.tasks import ping


@pytest.mark.broker
def test_a_real_worker_consumes_the_broker_queue():
    with running_worker():
        result = ping.delay()
        try:
            assert result.get(timeout=60) == "pong"
        except CeleryTimeout:
            pytest.fail("no worker answered within 60 s")
        # Not eager: the answer came back through the result backend from the worker process.
        assert not isinstance(result, EagerResult)
