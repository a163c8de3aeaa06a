"""The sandbox as the load test serves it: gunicorn, PostgreSQL, a Celery worker on Redis, and a
mail backend that records every send. Everything variable comes from the environment that
bench/loadtest/run.py sets for gunicorn and the worker alike."""

import os

import dj_database_url

from sandbox.settings.base import *  # noqa: F403
from sandbox.settings.env import mail_settings

DEBUG = False
SECRET_KEY = "loadtest-only-not-secret"
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]

DATABASES = {"default": dj_database_url.parse(os.environ["LOADTEST_DATABASE_URL"], conn_max_age=60)}

CELERY_BROKER_URL = os.environ["LOADTEST_BROKER_URL"]
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = False
CELERY_TASK_IGNORE_RESULT = True
CELERY_BROKER_TRANSPORT_OPTIONS = {
    # A killed worker's unacknowledged messages go back to the queue this many seconds after
    # they were taken (Redis has no connection-bound acknowledgement as RabbitMQ has), and the
    # restarted worker looks for them every second: the run drains in seconds, not in the
    # default hour. Tasks are idempotent, so a message handed out twice does no harm.
    "visibility_timeout": int(os.environ.get("LOADTEST_VISIBILITY_TIMEOUT", "20")),
    "unacked_restore_interval": 1,
    "unacked_restore_throttle": 1,
}
# One message in hand per process: a long queue is not parked behind a busy process, where it
# would outlive the visibility timeout and be handed out again for nothing.
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
WAGTAIL_SUPPORT_USE_CELERY = True

globals().update(mail_settings("bench.loadtest.mailbox.RecordingBackend"))
LOADTEST_MAIL_DIR = os.environ["LOADTEST_MAIL_DIR"]

# The load generator is one address posting hundreds of forms a minute, at machine speed.
WAGTAIL_SUPPORT_SPAM_MIN_FILL_SECONDS = 0
WAGTAIL_SUPPORT_SPAM_RATE_LIMIT_PER_IP = 0
WAGTAIL_SUPPORT_SPAM_RATE_LIMIT_PER_EMAIL = 0
WAGTAIL_SUPPORT_CONFIRMATION_LIMIT_PER_HOUR = 0

# SendGrid's inbound webhook, authenticated the way anymail checks every ESP: basic auth.
ANYMAIL = {"WEBHOOK_SECRET": os.environ.get("LOADTEST_WEBHOOK_SECRET", "loadtest:hook-secret")}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
