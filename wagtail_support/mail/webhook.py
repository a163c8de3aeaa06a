"""anymail's ``inbound`` signal into the pipeline: every ESP anymail supports (Mailgun, SendGrid,
Postmark, Amazon SES, …) delivers here through its own inbound webhook URL.

What is stored is the message as the ESP delivered it, when the ESP delivers the original MIME:
anymail's re-serialisation of its parsed copy refolds headers and rewrites line endings, so it
is not the mail that arrived. ESPs that hand over parsed fields only (Mailjet, Brevo, Mailgun's
and SendGrid's parsed forms, Postmark without RawEmail) leave nothing original to keep: their
message is rebuilt by anymail, stored with every leaf part base64-encoded (line endings inside a
binary attachment survive no other way), and marked as rebuilt.
"""

import base64
import binascii
import copy
import logging
from email import encoders
from email.policy import compat32

from ..models import InboundChannel
from . import inbound

logger = logging.getLogger(__name__)


def receive_inbound(sender, event, esp_name, **kwargs):
    """Receiver of ``anymail.signals.inbound``: stores the message and schedules processing."""
    raw = original_bytes(esp_name, event.esp_event)
    inbound.accept(
        raw if raw else rebuilt_bytes(event),
        channel=InboundChannel.WEBHOOK,
        esp=esp_name or "",
        envelope_recipient=_envelope_recipient(event.message),
        rebuilt=not raw,
    )


def _envelope_recipient(message):
    try:
        return str(getattr(message, "envelope_recipient", "") or "")
    except Exception:
        return ""


def _text(value):
    # What an ESP posts as text (a form field, a JSON string) is the MIME source, UTF-8 encoded
    # as it travelled: the same bytes anymail parsed.
    if isinstance(value, bytes):
        return value
    if isinstance(value, str) and value:
        return value.encode("utf-8", "surrogateescape")
    return None


def _b64(value):
    return base64.b64decode(value, validate=False) if value else None


def _post_field(name):
    return lambda request: _text(request.POST.get(name))


def _ses(event):
    content = event.get("content")
    action = (event.get("receipt") or {}).get("action") or {}
    if action.get("encoding") == "BASE64":
        return _b64(content)
    # An S3 action: anymail streamed the object and kept none of it; the rebuilt copy is stored.
    return _text(content)


def _sparkpost(event):
    for item in event if isinstance(event, list) else [event]:
        relay = ((item or {}).get("msys") or {}).get("relay_message") or {}
        content = relay.get("content") or {}
        raw = content.get("email_rfc822")
        if raw:
            return _b64(raw) if content.get("email_rfc822_is_base64") else _text(raw)
    return None


def _postal(event):
    raw = event.get("message")
    return _b64(raw) if event.get("base64") is True else _text(raw)


# Where each ESP that delivers the original MIME puts it in what anymail passes as esp_event.
_ORIGINAL = {
    "Mailgun": _post_field("body-mime"),
    "SendGrid": _post_field("email"),
    "Postmark": lambda event: _text(event.get("RawEmail")),
    "Amazon SES": _ses,
    "SparkPost": _sparkpost,
    "MailerSend": lambda event: _text((event.get("data") or {}).get("raw")),
    "Postal": _postal,
    "Mandrill": lambda event: _text((event.get("msg") or {}).get("raw_msg")),
}


def original_bytes(esp_name, esp_event):
    """The message exactly as the ESP delivered it, or None when it sent parsed fields only."""
    reader = _ORIGINAL.get(esp_name)
    if reader is None or esp_event is None:
        return None
    try:
        return reader(esp_event) or None
    except (AttributeError, KeyError, TypeError, ValueError, binascii.Error):
        logger.warning("no original MIME in a %s delivery", esp_name, exc_info=True)
        return None


def rebuilt_bytes(event):
    """anymail's rebuilt message as bytes, every leaf part base64-encoded first; then the lenient
    serialisation, then the webhook request's body, so something is kept."""
    message = event.message
    attempts = (
        lambda: _encoded(message).as_bytes(),
        lambda: _encoded(message).as_bytes(policy=compat32),
        lambda: message.as_bytes(policy=compat32),
        lambda: bytes(getattr(event.esp_event, "body", b"") or b""),
    )
    for attempt in attempts:
        try:
            raw = attempt()
        except Exception:
            logger.warning("could not serialise an inbound message this way", exc_info=True)
            continue
        if raw:
            return raw
    return b""


def _encoded(message):
    """A copy of ``message`` whose leaf parts without a transfer encoding are base64-encoded.
    anymail sets an attachment's payload to its bytes with no encoding (kept as surrogates), and
    serialising such a part rewrites every CR in it to the line ending (a PNG holds CR bytes)."""
    message = copy.deepcopy(message)
    for part in message.walk():
        if part.is_multipart() or part.get_content_maintype() == "message":
            continue
        if part.get("Content-Transfer-Encoding"):
            continue
        data = part.get_payload(decode=True) or b""
        part.set_payload(data)
        encoders.encode_base64(part)
    return message
