"""Which outside services this test run has, and which it must have.

A test that needs PostgreSQL, a broker or Chromium skips with a reason on a laptop that lacks
them, but CI must never pass by skipping: there (CI set) a missing service fails the test. A run
that deliberately lacks one (the oldest-stack pass on SQLite) names what it must have in
WAGTAIL_SUPPORT_TEST_REQUIRE, e.g. "broker,browser".
"""

import os
import shutil

ALL = ("postgres", "broker", "browser", "gettext", "imap")

DATABASE_URL_VAR = "WAGTAIL_SUPPORT_TEST_DATABASE_URL"
BROKER_URL_VAR = "WAGTAIL_SUPPORT_TEST_BROKER_URL"
CHROMIUM_VAR = "WAGTAIL_SUPPORT_TEST_CHROMIUM"
REQUIRE_VAR = "WAGTAIL_SUPPORT_TEST_REQUIRE"


def required():
    value = os.environ.get(REQUIRE_VAR)
    if value is not None:
        names = {name.strip() for name in value.split(",") if name.strip()}
        unknown = names - set(ALL)
        if unknown:
            raise ValueError(f"{REQUIRE_VAR} names unknown services: {', '.join(sorted(unknown))}")
        return names
    return set(ALL) if os.environ.get("CI") else set()


def chromium_path():
    configured = os.environ.get(CHROMIUM_VAR)
    if configured:
        return configured
    if shutil.which("chromium"):
        return shutil.which("chromium")
    return "/usr/bin/chromium" if os.path.exists("/usr/bin/chromium") else None


def _has_postgres():
    from django.db import connection

    return connection.vendor == "postgresql"


def _has_gettext():
    return bool(shutil.which("msgfmt") and shutil.which("xgettext"))


# service -> (is it there?, why not)
CHECKS = {
    "postgres": (
        _has_postgres,
        f"needs PostgreSQL: set {DATABASE_URL_VAR}=postgres://user@host:5432/db",
    ),
    "broker": (
        lambda: bool(os.environ.get(BROKER_URL_VAR)),
        f"needs a Celery broker: set {BROKER_URL_VAR}=redis://127.0.0.1:6379/15",
    ),
    "browser": (
        lambda: bool(chromium_path()),
        f"needs Debian's Chromium (apt-get install chromium) or {CHROMIUM_VAR}",
    ),
    "gettext": (_has_gettext, "needs GNU gettext's msgfmt and xgettext (apt-get install gettext)"),
    "imap": (
        lambda: _has_dovecot(),
        "needs Debian's Dovecot run as root (apt-get install dovecot-imapd; make imap)",
    ),
}


def _has_dovecot():
    from tests.imap_server import dovecot_binary

    return bool(dovecot_binary()) and os.geteuid() == 0


def missing_reason(service):
    """Why ``service`` can't be used in this run, or None when it can."""
    available, reason = CHECKS[service]
    return None if available() else reason
