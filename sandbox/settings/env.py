"""Reading the sandbox's configuration from the environment, so one settings file serves a laptop
(SQLite, eager tasks, console mail) and a real deployment (PostgreSQL, a broker, an ESP)."""

import os

import django


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=()):
    value = os.environ.get(name)
    if not value:
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


def mail_backend():
    """EMAIL_BACKEND wins; else ANYMAIL_ESP picks anymail's backend for that ESP; else console."""
    if os.environ.get("EMAIL_BACKEND"):
        return os.environ["EMAIL_BACKEND"]
    esp = os.environ.get("ANYMAIL_ESP")
    if esp:
        return f"anymail.backends.{esp}.EmailBackend"
    return "django.core.mail.backends.console.EmailBackend"


def anymail_settings():
    """Every ANYMAIL_<NAME> variable but ANYMAIL_ESP becomes ANYMAIL["<NAME>"], e.g.
    ANYMAIL_MAILGUN_API_KEY -> ANYMAIL["MAILGUN_API_KEY"]."""
    return {
        key.removeprefix("ANYMAIL_"): value
        for key, value in os.environ.items()
        if key.startswith("ANYMAIL_") and key != "ANYMAIL_ESP"
    }


def mail_settings(backend):
    """Django 6.1 replaced EMAIL_BACKEND with MAILERS; setting both is an error there."""
    if django.VERSION >= (6, 1):
        return {"MAILERS": {"default": {"BACKEND": backend}}}
    return {"EMAIL_BACKEND": backend}
