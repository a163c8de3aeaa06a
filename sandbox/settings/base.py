"""Settings shared by every flavour of the sandbox site (dev, production, the test suite)."""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url

from sandbox.content_policy import csp_settings
from wagtail_support.beat import BEAT_SCHEDULE

from .env import anymail_settings, env_list, mail_backend, mail_settings

REPO_DIR = Path(__file__).resolve().parents[2]
SANDBOX_DIR = REPO_DIR / "sandbox"

INSTALLED_APPS = [
    "sandbox.home",
    "sandbox.accounts",
    "sandbox.demo",
    "wagtail_support",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "anymail",
    "django_recaptcha",
    "axes",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]

_csp, CSP_MIDDLEWARE, CSP_CONTEXT_PROCESSOR = csp_settings()
globals().update(_csp)

MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy: Django's own on Django 6, django-csp on 5.2
    # (sandbox/content_policy.py).
    CSP_MIDDLEWARE,
    "sandbox.content_policy.AdminInlineScripts",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last: turns a login refused for a locked-out user into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "sandbox.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [SANDBOX_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                CSP_CONTEXT_PROCESSOR,
            ],
        },
    },
]

WSGI_APPLICATION = "sandbox.wsgi.application"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{REPO_DIR / 'db.sqlite3'}", conn_max_age=60
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Login throttling (django-axes) for every login form: the site's, Wagtail's admin and Django's.
# First, it refuses a locked-out user before any password is checked (docs/security.md).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
# A username from one address: a stranger guessing cannot lock the real user out elsewhere.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "account"
LOGOUT_REDIRECT_URL = "/"

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("pl", "Polski"), ("ru", "Русский")]
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
TIME_ZONE = os.environ.get("TIME_ZONE", "Europe/Warsaw")
USE_I18N = True
USE_TZ = True

STATICFILES_DIRS = [SANDBOX_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", REPO_DIR / "static"))
STATIC_URL = "/static/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", REPO_DIR / "media"))
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    # Outside MEDIA_ROOT: attachments are served only through the help desk's checked view.
    "support_attachments": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {
            "location": os.environ.get("SUPPORT_ATTACHMENTS_ROOT", REPO_DIR / "private-media"),
            "base_url": None,
        },
    },
}
WAGTAIL_SUPPORT_ATTACHMENT_STORAGE = "support_attachments"

WAGTAIL_SITE_NAME = os.environ.get("WAGTAIL_SITE_NAME", "Support sandbox")
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
# Avatars over HTTPS, the only way the Content-Security-Policy lets them in (img-src).
WAGTAIL_GRAVATAR_PROVIDER_URL = "https://www.gravatar.com/avatar"
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}

# Celery: with no broker configured, tasks run in-process at once, so the demo needs no services.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL") or None
CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND") or None
CELERY_TASK_ALWAYS_EAGER = CELERY_BROKER_URL is None
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE = {**BEAT_SCHEDULE}
WAGTAIL_SUPPORT_USE_CELERY = CELERY_BROKER_URL is not None
# Recovery after a worker dies (docs/scaling.md#recovery-after-a-worker-dies). The tasks
# acknowledge late, so on Redis the messages a dead worker held go to another worker after the
# visibility timeout: 15 minutes fits the longest task, a 10-minute retry wait plus a few minutes'
# run. Shorter would hand out a task that is still running (harmless, the tasks are idempotent,
# but wasted work); longer only delays what the sweeps below don't pick up first.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": int(os.environ.get("CELERY_VISIBILITY_TIMEOUT", 15 * 60)),
    # Look for expired messages every 10 s (kombu's default is every 100 s).
    "unacked_restore_interval": 10,
    "unacked_restore_throttle": 1,
}
# One message in hand per process: a process does not sit on messages while it works on another.
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# The sweeps' intervals and ages in seconds, e.g. WAGTAIL_SUPPORT_SWEEP_NOTIFICATIONS_AFTER=600.
for _kind in ("INBOUND", "NOTIFICATIONS", "OUTBOUND"):
    for _name in (f"WAGTAIL_SUPPORT_SWEEP_{_kind}_EVERY", f"WAGTAIL_SUPPORT_SWEEP_{_kind}_AFTER"):
        if os.environ.get(_name):
            globals()[_name] = float(os.environ[_name])
# Inbound mail posted by an ESP's webhook can be large: the webhook views (sandbox/urls.py)
# read it under WAGTAIL_SUPPORT_INBOUND_WEBHOOK_MAX_SIZE (50 MiB by default), and every other view
# keeps Django's DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MiB), so no form takes a huge post.

# E-mail: the console by default; any anymail ESP from the environment (see docs/install.md).
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "support@example.com")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
ANYMAIL = anymail_settings()
globals().update(mail_settings(mail_backend()))

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# reCAPTCHA on contact forms only when the site has keys (WAGTAIL_SUPPORT_RECAPTCHA="auto").
if os.environ.get("RECAPTCHA_PUBLIC_KEY") and os.environ.get("RECAPTCHA_PRIVATE_KEY"):
    RECAPTCHA_PUBLIC_KEY = os.environ["RECAPTCHA_PUBLIC_KEY"]
    RECAPTCHA_PRIVATE_KEY = os.environ["RECAPTCHA_PRIVATE_KEY"]
else:
    # django_recaptcha falls back to Google's test keys and warns about them; without keys of
    # our own the help desk never renders its field, so the warning says nothing here.
    SILENCED_SYSTEM_CHECKS = ["django_recaptcha.recaptcha_test_key_error"]
