"""anymail's ``inbound`` signal into the pipeline: every ESP anymail supports (Mailgun, SendGrid,
Postmark, Amazon SES, …) delivers here through its own inbound webhook URL."""

import logging
from email.policy import compat32

from ..models import InboundChannel
from . import inbound

logger = logging.getLogger(__name__)


def receive_inbound(sender, event, esp_name, **kwargs):
    """Receiver of ``anymail.signals.inbound``: stores the message and schedules processing."""
    inbound.accept(
        raw_bytes(event),
        channel=InboundChannel.WEBHOOK,
        esp=esp_name or "",
        envelope_recipient=_envelope_recipient(event.message),
    )


def _envelope_recipient(message):
    try:
        return str(getattr(message, "envelope_recipient", "") or "")
    except Exception:
        return ""


def raw_bytes(event):
    """The message as bytes, however broken: anymail's own serialisation first, then the
    lenient one, then the text form, then the webhook request's body, so something is kept."""
    message = event.message
    attempts = (
        lambda: message.as_bytes(),
        lambda: message.as_bytes(policy=compat32),
        lambda: message.as_string(policy=compat32).encode("utf-8", "surrogateescape"),
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
