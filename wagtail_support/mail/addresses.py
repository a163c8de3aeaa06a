"""Per-ticket reply addresses and references: a short signed token that names a ticket, carried
in the Reply-To address (plus addressing) and in the body, so a reply finds its ticket even when a
mail client drops In-Reply-To.

A token is ``<ticket pk>.<12 hex digits of HMAC>``: lowercase only, because some mail systems
lowercase the local part, and safe in an address's local part.
"""

import re

from django.core.exceptions import ImproperlyConfigured
from django.utils.crypto import constant_time_compare, salted_hmac

from ..conf import support_settings

SALT = "wagtail_support.mail.reply-token"
TOKEN = r"(\d{1,18})\.([0-9a-f]{12})"
_IN_ADDRESS = re.compile(r"\+" + TOKEN + r"@", re.I)
_IN_TEXT = re.compile(r"\[ref:" + TOKEN + r"\]", re.I)


def token_for(ticket_id):
    ticket_id = int(ticket_id)
    return f"{ticket_id}.{_mac(ticket_id)}"


def _mac(ticket_id):
    return salted_hmac(SALT, str(ticket_id), algorithm="sha256").hexdigest()[:12]


def ticket_id_from_token(pk, mac):
    """The ticket id a token's two parts name, or None when the signature is wrong."""
    try:
        ticket_id = int(pk)
    except (TypeError, ValueError):
        return None
    return ticket_id if constant_time_compare(_mac(ticket_id), (mac or "").lower()) else None


def reply_address(ticket_id, from_email):
    """The Reply-To address for a ticket's mail, or None when the site turned tokens off.

    ``WAGTAIL_SUPPORT_REPLY_TO``: "plus" puts the token after a "+" in ``from_email``'s local
    part; a string with "{token}" is filled in; "off" sends no Reply-To.
    """
    mode = support_settings.REPLY_TO
    if mode == "off":
        return None
    token = token_for(ticket_id)
    if mode == "plus":
        local, at, domain = (from_email or "").rpartition("@")
        if not at:
            raise ImproperlyConfigured("The help desk's From address has no domain.")
        return f"{local.split('+')[0]}+{token}@{domain}"
    if "{token}" not in mode:
        raise ImproperlyConfigured(
            'WAGTAIL_SUPPORT_REPLY_TO must be "plus", "off" or contain {token}'
        )
    return mode.replace("{token}", token)


def body_reference(ticket_id):
    """The reference line put at the end of a message's body: ``[ref:<token>]``."""
    return f"[ref:{token_for(ticket_id)}]"


def ticket_id_in_addresses(addresses):
    """The ticket a signed plus address among ``addresses`` names, or None."""
    for address in addresses:
        for pk, mac in _IN_ADDRESS.findall(f"{address or ''}@"):
            found = ticket_id_from_token(pk, mac)
            if found is not None:
                return found
    return None


def ticket_id_in_text(text):
    """The ticket a ``[ref:…]`` reference in ``text`` names (first valid one), or None."""
    for pk, mac in _IN_TEXT.findall(text or ""):
        found = ticket_id_from_token(pk, mac)
        if found is not None:
            return found
    return None
