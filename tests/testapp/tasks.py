from celery import shared_task
from django.core.cache import cache


@shared_task(name="testapp.remember")
def remember(key, value):
    """Leaves a mark the test can look for, so it knows whether and when the task ran."""
    cache.set(key, value)
    return value


@shared_task(name="testapp.explode")
def explode():
    raise RuntimeError("the mail server is down")
