"""Test settings: the sandbox site plus a small test app, on SQLite unless a real database is
named by WAGTAIL_SUPPORT_TEST_DATABASE_URL."""

import os

import dj_database_url

from sandbox.settings.base import *  # noqa: F403
from sandbox.settings.base import INSTALLED_APPS
from sandbox.settings.env import mail_settings

SECRET_KEY = "tests-only-not-secret"
DEBUG = False
ALLOWED_HOSTS = ["*"]
INSTALLED_APPS = [*INSTALLED_APPS, "tests.testapp"]

DATABASE_URL = os.environ.get("WAGTAIL_SUPPORT_TEST_DATABASE_URL")
DATABASES = {
    "default": dj_database_url.parse(DATABASE_URL)
    if DATABASE_URL
    else {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}
}

# Login throttling (django-axes, from the sandbox) refuses logins made without a request, which
# is how the test client's login() authenticates; tests/test_security_logins.py turns it on.
AXES_ENABLED = False

# Fast hashing: the tests create many users and never need a strong hash.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Background work runs in-process (WAGTAIL_SUPPORT_USE_CELERY off) unless a test turns Celery on and
# starts a real worker (tests/celery_worker.py). Celery is configured up front, not inside a test,
# because it caches its connections and settings on first use.
_test_broker = os.environ.get("WAGTAIL_SUPPORT_TEST_BROKER_URL")
CELERY_BROKER_URL = _test_broker or "memory://"
CELERY_RESULT_BACKEND = _test_broker
CELERY_TASK_ALWAYS_EAGER = _test_broker is None
WAGTAIL_SUPPORT_USE_CELERY = False

# A secret, as every site that installs the inbound webhooks needs (wagtail_support.W002).
ANYMAIL = {"WEBHOOK_SECRET": "tests:webhook-secret"}
globals().update(mail_settings("django.core.mail.backends.locmem.EmailBackend"))

MEDIA_ROOT = os.environ.get("WAGTAIL_SUPPORT_TEST_MEDIA_ROOT", "/tmp/wagtail-support-test-media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "support_attachments": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
}

# Wagtail 7 queues its search-index updates with django-tasks, whose older releases (0.7, the
# oldest stack's) run them only after the commit, which a test wrapped in a transaction never
# reaches. Newer releases, like a site's own deployment, index at once; so do the tests.
try:
    from importlib.metadata import version as _version

    _tasks_version = tuple(int(part) for part in _version("django-tasks").split(".")[:2])
except Exception:  # django-tasks absent or oddly versioned: nothing to adjust
    _tasks_version = None
if _tasks_version is not None and _tasks_version < (0, 8):
    TASKS = {
        "default": {
            "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
            "ENQUEUE_ON_COMMIT": False,
        }
    }
