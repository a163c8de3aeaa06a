"""Playwright driving Debian's Chromium. Playwright's own browser download is never used."""

import os

import pytest
from django.db import connections

from tests import services

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture
def page(request):
    """A fresh browser page. Tests that use it must be marked ``browser``."""
    if request.node.get_closest_marker("browser") is None:
        pytest.fail("tests that use the page fixture must be marked @pytest.mark.browser")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop in this thread; the ORM calls a test makes
    # between browser steps are still synchronous and safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=services.chromium_path(), args=CHROMIUM_ARGS
            )
            context = browser.new_context(locale="en-GB")
            context.set_default_timeout(15_000)
            yield context.new_page()
            context.close()
            browser.close()
            # The test body ran with Playwright's event loop set in this thread, where Django
            # hands out separate connection objects; close them or the test database can't be
            # dropped at the end of the session.
            connections.close_all()
    finally:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
