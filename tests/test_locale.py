"""The Polish and Russian catalogs must hold every string the code marks, all translated."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import translation

PACKAGE_DIR = Path(__file__).resolve().parents[1] / "wagtail_support"
LANGUAGES = ("pl", "ru")

pytestmark = pytest.mark.gettext


def msgids(po_text):
    """The msgids of a catalog, its header left out, multi-line ids joined."""
    ids = set()
    for block in re.findall(r'^msgid ((?:".*"\n)+)', po_text, re.M):
        text = "".join(re.findall(r'"(.*)"', block))
        if text:
            ids.add(text)
    return ids


@pytest.fixture(scope="module")
def fresh_catalogs(tmp_path_factory):
    """Catalogs regenerated from the current source, in a copy of the package."""
    copy = tmp_path_factory.mktemp("pkg") / "wagtail_support"
    shutil.copytree(PACKAGE_DIR, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(copy)
        call_command("makemessages", locale=list(LANGUAGES), no_obsolete=True, verbosity=0)
    return copy


@pytest.mark.parametrize("lang", LANGUAGES)
def test_catalog_has_every_marked_string(fresh_catalogs, lang):
    shipped = (PACKAGE_DIR / f"locale/{lang}/LC_MESSAGES/django.po").read_text()
    regenerated = (fresh_catalogs / f"locale/{lang}/LC_MESSAGES/django.po").read_text()
    missing = msgids(regenerated) - msgids(shipped)
    listed = sorted(missing)[:5]
    assert not missing, f"{len(missing)} missing; run `make messages` and translate: {listed}"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_catalog_is_fully_translated_and_compiled(lang, tmp_path):
    po = PACKAGE_DIR / f"locale/{lang}/LC_MESSAGES/django.po"
    result = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", str(tmp_path / "django.mo"), str(po)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert "untranslated" not in result.stderr and "fuzzy" not in result.stderr, result.stderr
    shipped_mo = (PACKAGE_DIR / f"locale/{lang}/LC_MESSAGES/django.mo").read_bytes()
    assert shipped_mo == (tmp_path / "django.mo").read_bytes(), "run `make messages`"


def test_a_translation_is_served():
    with translation.override("ru"):
        from django.apps import apps

        assert str(apps.get_app_config("wagtail_support").verbose_name) == "Техподдержка"
