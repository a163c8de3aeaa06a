"""Header conventions shared by outgoing and incoming mail: Message-ID form, the loop marker."""

import hashlib

from django.conf import settings
from django.core.mail import make_msgid

# Set on every message we send; mail arriving with it is our own coming back and is never
# turned into a ticket or message (mail loops between two help desks stop here).
LOOP_HEADER = "X-Wagtail-Support-Loop"

# On everything the help desk sends by itself, so other systems don't auto-answer it.
AUTOMATIC_HEADERS = {"Auto-Submitted": "auto-generated", "X-Auto-Response-Suppress": "All"}


def loop_marker():
    """This installation's value for LOOP_HEADER: stable, and says nothing of the secret key."""
    digest = hashlib.sha256(f"wagtail-support-loop:{settings.SECRET_KEY}".encode()).hexdigest()
    return digest[:16]


def normalize_message_id(value):
    """A Message-ID as we store and compare it: stripped, without angle brackets; '' for none."""
    value = (value or "").strip()
    if value.startswith("<") and value.endswith(">"):
        value = value[1:-1].strip()
    return value[:255]


def message_ids(header_value):
    """The Message-IDs in an In-Reply-To or References header, normalised, in order."""
    import re

    return [normalize_message_id(found) for found in re.findall(r"<[^<>\s]+>", header_value or "")]


def new_message_id(domain=None):
    """A fresh, globally unique Message-ID, normalised (no brackets)."""
    return normalize_message_id(make_msgid(domain=domain))
