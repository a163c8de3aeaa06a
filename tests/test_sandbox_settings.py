import django
import pytest

from sandbox.settings import env


@pytest.fixture
def clean_env(monkeypatch):
    for name in ("EMAIL_BACKEND", "ANYMAIL_ESP", "ANYMAIL_MAILGUN_API_KEY"):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_mail_goes_to_the_console_by_default(clean_env):
    assert env.mail_backend() == "django.core.mail.backends.console.EmailBackend"


def test_an_esp_name_selects_its_anymail_backend_and_settings(clean_env):
    clean_env.setenv("ANYMAIL_ESP", "mailgun")
    clean_env.setenv("ANYMAIL_MAILGUN_API_KEY", "key-123")
    assert env.mail_backend() == "anymail.backends.mailgun.EmailBackend"
    assert env.anymail_settings() == {"MAILGUN_API_KEY": "key-123"}


def test_explicit_backend_wins(clean_env):
    clean_env.setenv("ANYMAIL_ESP", "mailgun")
    clean_env.setenv("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
    assert env.mail_backend() == "django.core.mail.backends.smtp.EmailBackend"


def test_mail_setting_style_follows_the_django_version():
    configured = env.mail_settings("x.Backend")
    if django.VERSION >= (6, 1):
        assert configured == {"MAILERS": {"default": {"BACKEND": "x.Backend"}}}
    else:
        assert configured == {"EMAIL_BACKEND": "x.Backend"}


@pytest.mark.parametrize(
    ("raw", "expected"), [(None, False), ("1", True), ("yes", True), ("off", False), ("0", False)]
)
def test_env_bool(monkeypatch, raw, expected):
    if raw is None:
        monkeypatch.delenv("SANDBOX_FLAG", raising=False)
    else:
        monkeypatch.setenv("SANDBOX_FLAG", raw)
    assert env.env_bool("SANDBOX_FLAG") is expected


def test_env_list(monkeypatch):
    monkeypatch.setenv("SANDBOX_HOSTS", " a.example, b.example ,,")
    assert env.env_list("SANDBOX_HOSTS") == ["a.example", "b.example"]
