import os

from .base import *  # noqa: F403

DEBUG = True
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "sandbox-dev-only-not-secret")
ALLOWED_HOSTS = ["*"]
# The inbound webhooks (/anymail/…/inbound/) take basic auth with this secret: set
# ANYMAIL_WEBHOOK_SECRET in the environment. The default is published here, so it is for a
# laptop only: `manage.py check --deploy` refuses it (docs/security.md).
ANYMAIL.setdefault("WEBHOOK_SECRET", "sandbox:dev-secret")  # noqa: F405
