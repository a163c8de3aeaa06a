"""Security (issue #13, item 6): anymail's inbound webhooks installed without a webhook secret let
anyone post mail as any customer; the system checks say so (a warning, an error for deployment),
and the sandbox has a secret."""

import importlib

import pytest
from django.core import checks as django_checks
from django.test import override_settings

from wagtail_support import checks

# A URLconf without anymail's URLs (ROOT_URLCONF points at this module).
urlpatterns = []

STRONG = "desk-hooks:Vq3x8TzN1rLk5aWp0cHs"


def _ids(errors):
    return {error.id for error in errors}


def _all(deploy):
    return _ids(django_checks.run_checks(include_deployment_checks=deploy, tags=["security"]))


@override_settings(ANYMAIL={})
def test_installed_webhooks_without_a_secret_are_a_warning_and_a_deploy_error():
    assert _ids(checks.check_webhook_secret(None)) == {"wagtail_support.W002"}
    assert "wagtail_support.W002" in _all(deploy=False)
    assert "wagtail_support.E007" not in _all(deploy=False)
    assert "wagtail_support.E007" in _all(deploy=True)


@override_settings(ANYMAIL={"WEBHOOK_SECRET": STRONG})
def test_a_strong_secret_passes_both():
    assert checks.check_webhook_secret(None) == []
    assert checks.check_webhook_secret_deploy(None) == []


@override_settings(ANYMAIL={}, ANYMAIL_WEBHOOK_SECRET=STRONG)
def test_the_bare_setting_counts_too():
    assert checks.check_webhook_secret(None) == []
    assert checks.check_webhook_secret_deploy(None) == []


@pytest.mark.parametrize("secret", ["hooks:short", "no-colon-but-long-enough-anyway", "x:"])
def test_a_weak_secret_passes_in_development_but_not_for_deployment(secret):
    with override_settings(ANYMAIL={"WEBHOOK_SECRET": secret}):
        assert checks.check_webhook_secret(None) == []
        assert _ids(checks.check_webhook_secret_deploy(None)) == {"wagtail_support.E008"}


@override_settings(ANYMAIL={}, ROOT_URLCONF=__name__)
def test_no_webhook_urls_no_complaint():
    assert checks.check_webhook_secret(None) == []
    assert checks.check_webhook_secret_deploy(None) == []


def test_the_sandbox_has_a_secret_which_is_for_development_only():
    dev = importlib.import_module("sandbox.settings.dev")
    secret = dev.ANYMAIL["WEBHOOK_SECRET"]
    with override_settings(ANYMAIL={"WEBHOOK_SECRET": secret}):
        assert checks.check_webhook_secret(None) == []
        assert _ids(checks.check_webhook_secret_deploy(None)) == {"wagtail_support.E008"}
