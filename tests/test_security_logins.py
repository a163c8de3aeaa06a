"""Login throttling in the sandbox (django-axes): after too many failed logins for one username
from one address, even the right password is refused until the cool-off ends."""

import pytest
from django.test import override_settings
from django.urls import reverse

from tests.utils import PASSWORD, make_agent, make_user

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("axes_on")]

LOGINS = {"site": "login", "wagtail admin": "wagtailadmin_login"}


@pytest.fixture
def axes_on():
    with override_settings(AXES_ENABLED=True):
        yield


def _log_in(client, url, username, password, address="192.0.2.10"):
    return client.post(
        reverse(url), {"username": username, "password": password}, REMOTE_ADDR=address
    )


def _logged_in(client):
    return "_auth_user_id" in client.session


@pytest.mark.parametrize("url", LOGINS.values(), ids=LOGINS.keys())
def test_after_the_limit_the_right_password_is_refused(client, settings, url):
    make_agent("anna")
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _log_in(client, url, "anna", "wrong").status_code == 200
    assert _log_in(client, url, "anna", "wrong").status_code == 429  # the Nth failure locks
    response = _log_in(client, url, "anna", PASSWORD)
    assert response.status_code == 429
    assert "Too many failed logins" in response.content.decode()
    assert not _logged_in(client)


@pytest.mark.parametrize("url", LOGINS.values(), ids=LOGINS.keys())
def test_below_the_limit_the_right_password_logs_in(client, settings, url):
    make_agent("anna")
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        _log_in(client, url, "anna", "wrong")
    assert _log_in(client, url, "anna", PASSWORD).status_code == 302
    assert _logged_in(client)


def test_a_lockout_holds_one_username_from_one_address(client, settings):
    make_user("carol")
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        _log_in(client, "login", "carol", "wrong")
    assert _log_in(client, "login", "carol", PASSWORD, address="198.51.100.7").status_code == 302
