"""Celery tasks. Each one is a thin adapter that calls a service; none holds business logic."""

from celery import shared_task


@shared_task(name="wagtail_support.ping")
def ping():
    """Answers "pong": lets a deployment (and the test suite) prove that a worker consumes the
    broker's queue and can reach the result backend."""
    return "pong"


@shared_task(name="wagtail_support.send_confirmation")
def send_confirmation(ticket_id):
    """Tells the customer their request was registered, with its number (R-IN6)."""
    from .mail.confirmation import send_confirmation as send

    send(ticket_id)
