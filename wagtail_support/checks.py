"""System checks: a wrong setting or a missing app fails ``manage.py check`` with a clear message
instead of surfacing later as an obscure error inside a request or a Celery task."""

from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.checks import Error, Tags, Warning, register

from .conf import PREFIX, SETTINGS

# Apps the help desk imports models or templates from.
REQUIRED_APPS = (
    "wagtail",
    "wagtail.admin",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.images",  # images on information pages
    "wagtail.search",  # search within the FAQ and the contact form's suggestions
    "modelcluster",
    "taggit",
)


@register(Tags.compatibility)
def check_required_apps(app_configs, **kwargs):
    return [
        Error(
            f"wagtail-support needs '{name}' in INSTALLED_APPS.",
            hint="See 'Install into your Wagtail site' in the README.",
            id="wagtail_support.E001",
        )
        for name in REQUIRED_APPS
        if not apps.is_installed(name)
    ]


@register()
def check_settings(app_configs, **kwargs):
    errors = []
    for setting in SETTINGS.values():
        if not hasattr(settings, setting.full_name):
            continue
        value = getattr(settings, setting.full_name)
        # bool is an int subclass, but True is never a meaningful size or count.
        wrong_type = not isinstance(value, setting.types) or (
            isinstance(value, bool) and bool not in setting.types
        )
        if wrong_type:
            expected = " or ".join(t.__name__ for t in setting.types)
            errors.append(
                Error(
                    f"{setting.full_name} must be {expected}, not {type(value).__name__}.",
                    id="wagtail_support.E002",
                )
            )
        elif (
            isinstance(value, int | float)
            and not isinstance(value, bool)
            and setting.minimum is not None
            and value < setting.minimum
        ):
            errors.append(
                Error(
                    f"{setting.full_name} must be at least {setting.minimum}.",
                    id="wagtail_support.E003",
                )
            )
        elif setting.choices and value not in setting.choices:
            expected = ", ".join(repr(choice) for choice in setting.choices)
            errors.append(
                Error(f"{setting.full_name} must be one of {expected}.", id="wagtail_support.E006")
            )
    unknown = sorted(
        name
        for name in dir(settings)
        if name.startswith(PREFIX) and name[len(PREFIX) :] not in SETTINGS
    )
    errors.extend(
        Error(
            f"{name} is not a wagtail-support setting.",
            hint="Check its spelling against docs/settings.md.",
            id="wagtail_support.E004",
        )
        for name in unknown
    )
    return errors


@register()
def check_attachment_storage(app_configs, **kwargs):
    """Attachments must not be downloadable by URL: only the permission-checked view serves them."""
    from django.core.files.storage import FileSystemStorage, InvalidStorageError, storages

    from .conf import support_settings

    alias = support_settings.ATTACHMENT_STORAGE
    try:
        storage = storages[alias]
    except InvalidStorageError:
        return [
            Error(
                f"WAGTAIL_SUPPORT_ATTACHMENT_STORAGE names '{alias}', which is not in STORAGES.",
                id="wagtail_support.E005",
            )
        ]
    if not isinstance(storage, FileSystemStorage) or not settings.MEDIA_ROOT:
        return []
    location = Path(storage.location).resolve()
    media_root = Path(settings.MEDIA_ROOT).resolve()
    if location == media_root or media_root in location.parents:
        return [
            Warning(
                "Ticket attachments are stored under MEDIA_ROOT, which web servers usually "
                "serve to anyone who has the URL.",
                hint="Add a storage outside MEDIA_ROOT to STORAGES (e.g. 'support_attachments') "
                "and name it in WAGTAIL_SUPPORT_ATTACHMENT_STORAGE.",
                id="wagtail_support.W001",
            )
        ]
    return []


# Shorter than this, a webhook password can be guessed or was typed as a placeholder (the
# sandbox's development default is one).
MIN_WEBHOOK_PASSWORD = 16


def _inbound_webhooks_installed():
    """Whether the URLconf routes to any of anymail's inbound webhook views."""
    try:
        from anymail.signals import inbound
        from anymail.webhooks.base import AnymailBaseWebhookView
        from django.urls import get_resolver
    except ImportError:
        return False
    try:
        stack = list(get_resolver().url_patterns)
    except Exception:  # a broken URLconf is reported by Django's own checks
        return False
    while stack:
        pattern = stack.pop()
        if hasattr(pattern, "url_patterns"):
            stack.extend(pattern.url_patterns)
            continue
        view = getattr(getattr(pattern, "callback", None), "view_class", None)
        if (
            isinstance(view, type)
            and issubclass(view, AnymailBaseWebhookView)
            and getattr(view, "signal", None) is inbound
        ):
            return True
    return False


def _webhook_secret():
    anymail = getattr(settings, "ANYMAIL", None) or {}
    secret = anymail.get("WEBHOOK_SECRET") or getattr(settings, "ANYMAIL_WEBHOOK_SECRET", None)
    if isinstance(secret, list | tuple):  # anymail takes several while one is rotated out
        secret = secret[0] if secret else None
    return secret or ""


_NO_SECRET = (
    "anymail's inbound webhooks are installed without ANYMAIL['WEBHOOK_SECRET']: anyone who "
    "finds the URL can post e-mail as any customer."
)
_SECRET_HINT = (
    "Set ANYMAIL['WEBHOOK_SECRET'] to 'random-user:random-password' and put it in the ESP's "
    "webhook URL (https://user:password@host/anymail/…); see docs/security.md."
)


@register(Tags.security)
def check_webhook_secret(app_configs, **kwargs):
    """Unauthenticated inbound webhooks: a warning in development, an error under --deploy."""
    if _webhook_secret() or not _inbound_webhooks_installed():
        return []
    return [Warning(_NO_SECRET, hint=_SECRET_HINT, id="wagtail_support.W002")]


@register(Tags.security, deploy=True)
def check_webhook_secret_deploy(app_configs, **kwargs):
    if not _inbound_webhooks_installed():
        return []
    secret = _webhook_secret()
    if not secret:
        return [Error(_NO_SECRET, hint=_SECRET_HINT, id="wagtail_support.E007")]
    _user, colon, password = str(secret).partition(":")
    if not colon or len(password) < MIN_WEBHOOK_PASSWORD:
        return [
            Error(
                "ANYMAIL['WEBHOOK_SECRET'] is not 'user:password' with a password of at least "
                f"{MIN_WEBHOOK_PASSWORD} characters (a development default?).",
                hint=_SECRET_HINT,
                id="wagtail_support.E008",
            )
        ]
    return []
