"""System checks: a wrong setting or a missing app fails ``manage.py check`` with a clear message
instead of surfacing later as an obscure error inside a request or a Celery task."""

from django.apps import apps
from django.conf import settings
from django.core.checks import Error, Tags, register

from .conf import PREFIX, SETTINGS

# Apps the help desk imports models or templates from.
REQUIRED_APPS = (
    "wagtail",
    "wagtail.admin",
    "wagtail.users",
    "wagtail.snippets",
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
        elif isinstance(value, int) and not isinstance(value, bool) and value <= 0:
            errors.append(
                Error(f"{setting.full_name} must be positive.", id="wagtail_support.E003")
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
