"""Every ``WAGTAIL_SUPPORT_*`` setting, its default and what it means.

Values are read from ``django.conf.settings`` each time they are used, never at import time, so a
site (or ``override_settings`` in a test) can change them at any moment. ``docs/settings.md`` lists
the same settings; a test keeps the two in step.
"""

from dataclasses import dataclass
from typing import Any

from django.conf import settings as django_settings

PREFIX = "WAGTAIL_SUPPORT_"


@dataclass(frozen=True)
class Setting:
    name: str
    default: Any
    types: tuple[type, ...]
    doc: str

    @property
    def full_name(self) -> str:
        return PREFIX + self.name


MiB = 1024 * 1024

SETTINGS: dict[str, Setting] = {
    s.name: s
    for s in (
        Setting(
            "ATTACHMENT_MAX_SIZE",
            10 * MiB,
            (int,),
            "Largest accepted attachment, in bytes, from customers and agents alike.",
        ),
        Setting(
            "ATTACHMENT_MAX_COUNT",
            20,
            (int,),
            "Most attachments one ticket may hold, over all its messages.",
        ),
        Setting(
            "ATTACHMENT_STORAGE",
            "default",
            (str,),
            "Alias in Django's STORAGES where attachments are kept. Use a private storage: "
            "attachments are served only through a permission-checked view.",
        ),
        Setting(
            "PAGE_SIZE",
            25,
            (int,),
            "Rows per page in every ticket list (admin inbox and the customer's My requests).",
        ),
        Setting(
            "USE_CELERY",
            False,
            (bool,),
            "True: background work (mail, SLA scans) is queued to Celery workers through the "
            "site's Celery app. False: it runs in-process right after the database commit, so "
            "a site without a broker works.",
        ),
        Setting(
            "FROM_EMAIL",
            None,
            (str, type(None)),
            "Sender address of the help desk's mail; None uses DEFAULT_FROM_EMAIL.",
        ),
    )
}


class SupportSettings:
    """Attribute access to the settings: ``support_settings.PAGE_SIZE``."""

    def __getattr__(self, name: str) -> Any:
        try:
            setting = SETTINGS[name]
        except KeyError:
            raise AttributeError(f"{PREFIX}{name} is not a wagtail-support setting") from None
        return getattr(django_settings, setting.full_name, setting.default)


support_settings = SupportSettings()
