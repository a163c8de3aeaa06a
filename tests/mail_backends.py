"""Mail in tests: anymail's test backend, one that fails a set number of times, and helpers to
perform an action with its mail sent and to find what reached an address."""

from anymail.backends.test import EmailBackend
from anymail.exceptions import AnymailAPIError
from django.core import mail

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


def mail_to(address):
    """The messages in the test outbox addressed to ``address``."""
    return [message for message in mail.outbox if address in message.to]


def act(ticket, slug, actor, commit, **data):
    """Performs action ``slug`` and runs what it scheduled for after the commit."""
    from tests.utils import reload
    from wagtail_support.workflows.engine import perform

    with commit():
        return perform(reload(ticket), ticket.workflow.actions.get(slug=slug), actor, data)
