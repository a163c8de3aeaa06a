import re
from pathlib import Path

import pytest
from django.test import override_settings

from wagtail_support import checks
from wagtail_support.conf import SETTINGS, support_settings

DOCS = Path(__file__).resolve().parents[1] / "docs" / "settings.md"


def test_default_is_used_when_the_site_sets_nothing():
    assert support_settings.PAGE_SIZE == SETTINGS["PAGE_SIZE"].default


@override_settings(WAGTAIL_SUPPORT_PAGE_SIZE=7)
def test_site_value_wins_and_is_read_at_use_time():
    assert support_settings.PAGE_SIZE == 7


def test_unknown_name_is_an_attribute_error():
    with pytest.raises(AttributeError, match="WAGTAIL_SUPPORT_NOPE"):
        support_settings.NOPE  # noqa: B018


def _ids(errors):
    return {error.id for error in errors}


def test_valid_configuration_passes_the_checks():
    assert checks.check_required_apps(None) == []
    assert checks.check_settings(None) == []
    assert checks.check_attachment_storage(None) == []


@pytest.mark.parametrize("value", ["10", True, None, 1.5])
def test_wrong_type_fails_the_check(value):
    with override_settings(WAGTAIL_SUPPORT_ATTACHMENT_MAX_SIZE=value):
        errors = checks.check_settings(None)
    assert _ids(errors) == {"wagtail_support.E002"}
    assert "WAGTAIL_SUPPORT_ATTACHMENT_MAX_SIZE must be int" in errors[0].msg


@override_settings(WAGTAIL_SUPPORT_PAGE_SIZE=0)
def test_non_positive_number_fails_the_check():
    assert _ids(checks.check_settings(None)) == {"wagtail_support.E003"}


@override_settings(WAGTAIL_SUPPORT_SPAM_MIN_FILL_SECONDS=0, WAGTAIL_SUPPORT_SPAM_ACTION="flag")
def test_zero_turns_a_spam_check_off_and_choices_are_accepted():
    assert checks.check_settings(None) == []


@override_settings(WAGTAIL_SUPPORT_SPAM_ACTION="delete")
def test_a_value_outside_the_choices_fails_the_check():
    errors = checks.check_settings(None)
    assert _ids(errors) == {"wagtail_support.E006"} and "'reject', 'flag'" in errors[0].msg


@override_settings(WAGTAIL_SUPPORT_PAGESIZE=10)
def test_misspelt_setting_fails_the_check():
    errors = checks.check_settings(None)
    assert _ids(errors) == {"wagtail_support.E004"}
    assert "WAGTAIL_SUPPORT_PAGESIZE" in errors[0].msg


def test_missing_required_app_fails_the_check(monkeypatch):
    # Removing the app for real would reload the app registry mid-session.
    monkeypatch.setattr(checks.apps, "is_installed", lambda name: name != "modelcluster")
    errors = checks.check_required_apps(None)
    assert [e.msg for e in errors] == ["wagtail-support needs 'modelcluster' in INSTALLED_APPS."]


def test_docs_list_exactly_the_settings_in_conf():
    documented = set(re.findall(r"^\| `WAGTAIL_SUPPORT_(\w+)` \|", DOCS.read_text(), re.M))
    assert documented == set(SETTINGS)


def test_attachments_under_media_root_are_warned_about(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    settings.STORAGES = {
        **settings.STORAGES,
        "public": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "support")},
        },
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path.parent / "private")},
        },
    }
    settings.WAGTAIL_SUPPORT_ATTACHMENT_STORAGE = "public"
    assert _ids(checks.check_attachment_storage(None)) == {"wagtail_support.W001"}
    settings.WAGTAIL_SUPPORT_ATTACHMENT_STORAGE = "private"
    assert checks.check_attachment_storage(None) == []
    settings.WAGTAIL_SUPPORT_ATTACHMENT_STORAGE = "missing"
    assert _ids(checks.check_attachment_storage(None)) == {"wagtail_support.E005"}
