"""Mail backends for tests: anymail's test backend, and one that fails a set number of times."""

from anymail.backends.test import EmailBackend
from anymail.exceptions import AnymailAPIError

TEST_BACKEND = "anymail.backends.test.EmailBackend"
FLAKY_BACKEND = "tests.mail_backends.FlakyBackend"


class FlakyBackend(EmailBackend):
    """Refuses the next ``failures`` sends like an ESP that is down, then sends normally."""

    failures = 0

    def send_messages(self, email_messages):
        if FlakyBackend.failures > 0:
            FlakyBackend.failures -= 1
            raise AnymailAPIError("ESP unavailable")
        return super().send_messages(email_messages)


def use_backend(settings, backend):
    """Points Django's mail at ``backend``, with MAILERS on Django 6.1+, EMAIL_BACKEND before."""
    from sandbox.settings.env import mail_settings

    for name, value in mail_settings(backend).items():
        setattr(settings, name, value)
