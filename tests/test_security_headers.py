"""The sandbox's Content-Security-Policy (sandbox/content_policy.py): strict on customer pages and
the desk; Wagtail's own admin views get inline scripts, which Wagtail's panels need."""

import re

import pytest
from django.urls import reverse

from tests.utils import PASSWORD, admin_login, make_agent, make_user, new_ticket

pytestmark = pytest.mark.django_db


def policy(response):
    """The Content-Security-Policy header as {directive: [sources]}."""
    header = response["Content-Security-Policy"]
    return {
        name: values
        for name, *values in (part.split() for part in header.split(";") if part.strip())
    }


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/(ld\+)?json)[^>]*>")


def assert_strict(response):
    directives = policy(response)
    assert directives["default-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"] and directives["base-uri"] == ["'self'"]
    assert directives["frame-ancestors"] == ["'self'"]
    # Scripts from the site's files only: no inline script, no eval, no other host.
    assert [s for s in directives["script-src"] if not s.startswith("'nonce-")] == ["'self'"]


@pytest.fixture
def carol():
    return make_user("carol")


def test_customer_pages_send_the_strict_policy(client, carol):
    ticket = new_ticket(customer=carol)
    client.login(username="carol", password=PASSWORD)
    for url in (
        reverse("wagtail_support_portal:list"),
        reverse("wagtail_support_portal:detail", args=[ticket.number]),
        reverse("login"),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_strict(response)


def test_the_desk_sends_the_strict_policy(client, carol):
    ticket = new_ticket(customer=carol)
    admin_login(client, make_agent("anna", groups=["First line support"]))
    for url in (
        reverse("support_desk:inbox"),
        reverse("support_desk:ticket", args=[ticket.pk]),
        reverse("support_desk:ticket_action", args=[ticket.pk, "reply"]),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_strict(response)
        # The inbox's date filters included: Wagtail's picker writes inline scripts, ours not.
        assert not INLINE_SCRIPT.search(response.text), url


def test_wagtails_form_views_may_run_its_inline_scripts(admin_client):
    response = admin_client.get(reverse("support_workflows:add"))
    assert response.status_code == 200
    # Wagtail's InlinePanel initialises itself with an inline script: without it the panel
    # cannot add a row.
    assert re.search(r"<script>\s*\(function\(\) \{\s*var panel = new InlinePanel", response.text)
    directives = policy(response)
    assert directives["script-src"] == ["'self'", "'unsafe-inline'"]
    assert directives["object-src"] == ["'none'"] and directives["default-src"] == ["'self'"]


def test_the_package_templates_hold_no_inline_script_or_event_handler():
    from pathlib import Path

    import wagtail_support

    repository = Path(__file__).resolve().parents[1]
    roots = [Path(wagtail_support.__file__).parent / "templates", repository / "sandbox/templates"]
    handler = re.compile(r"\son[a-z]+\s*=", re.I)
    found = [
        str(path)
        for root in roots
        for path in root.rglob("*.html")
        if INLINE_SCRIPT.search(text := path.read_text())
        or handler.search(text)
        or "javascript:" in text
    ]
    assert found == []
