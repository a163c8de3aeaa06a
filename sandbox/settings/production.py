import os

from .base import *  # noqa: F403
from .env import env_bool

DEBUG = False
# No fallback: a production site must never run with a key that is published in the repository.
SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# No fallback: without ANYMAIL_WEBHOOK_SECRET `manage.py check --deploy` fails (docs/security.md).
if os.environ.get("ANYMAIL_WEBHOOK_SECRET"):
    ANYMAIL["WEBHOOK_SECRET"] = os.environ["ANYMAIL_WEBHOOK_SECRET"]  # noqa: F405
