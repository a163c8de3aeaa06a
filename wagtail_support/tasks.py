"""Celery tasks. Each one is a thin adapter that calls a service; none holds business logic."""

from celery import shared_task


@shared_task(name="wagtail_support.ping")
def ping():
    """Answers "pong": lets a deployment (and the test suite) prove that a worker consumes the
    broker's queue and can reach the result backend."""
    return "pong"
