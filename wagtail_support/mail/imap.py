"""Polling a Source's IMAP mailbox: each unseen message is stored raw (committed) first and only
then flagged as seen, so a crash between the two means the next poll fetches it again, which the
Message-ID makes harmless."""

import imaplib
import logging
import os

from django.core.exceptions import ImproperlyConfigured

from ..conf import support_settings
from ..models import InboundChannel, Source
from . import inbound

logger = logging.getLogger(__name__)

TIMEOUT = 60


def mailbox_sources():
    return Source.objects.filter(enabled=True).exclude(imap_host="")


def password_of(source):
    name = source.imap_password_env
    if not name:
        raise ImproperlyConfigured(f"Source {source.slug!r} names no IMAP password variable")
    try:
        return os.environ[name]
    except KeyError:
        raise ImproperlyConfigured(f"Environment variable {name} is not set") from None


def connect(source):
    cls = imaplib.IMAP4_SSL if source.imap_ssl else imaplib.IMAP4
    port = source.imap_port or (993 if source.imap_ssl else 143)
    client = cls(source.imap_host, port, timeout=TIMEOUT)
    client.login(source.imap_username, password_of(source))
    return client


def poll(source):
    """Fetches up to WAGTAIL_SUPPORT_IMAP_BATCH unseen messages of ``source``'s mailbox into the
    pipeline; returns the stored InboundEmails."""
    stored = []
    client = connect(source)
    try:
        status, _data = client.select(_quoted(source.imap_folder or "INBOX"))
        if status != "OK":
            raise imaplib.IMAP4.error(f"cannot open folder {source.imap_folder!r}")
        status, data = client.uid("SEARCH", None, "UNSEEN")
        uids = (data[0] or b"").split() if status == "OK" else []
        for uid in uids[: support_settings.IMAP_BATCH]:
            raw = _fetch(client, uid)
            if raw is None:
                continue
            stored.append(inbound.accept(raw, channel=InboundChannel.IMAP, source=source))
            client.uid("STORE", uid, "+FLAGS", "(\\Seen)")
    finally:
        try:
            client.logout()
        except Exception:
            logger.debug("IMAP logout failed", exc_info=True)
    return stored


def _fetch(client, uid):
    # BODY.PEEK leaves the message unseen until it is stored.
    status, data = client.uid("FETCH", uid, "(BODY.PEEK[])")
    if status != "OK":
        return None
    for item in data or ():
        if isinstance(item, tuple) and len(item) >= 2:
            return item[1]
    return None


def _quoted(folder):
    return '"' + folder.replace("\\", "\\\\").replace('"', '\\"') + '"'
