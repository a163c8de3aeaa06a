"""Recognising mail that no person wrote: auto-replies, bounces, list traffic, and the help
desk's own mail coming back. Answering any of them could start a mail loop (R-IN4)."""

from django.conf import settings
from django.utils.translation import gettext as _

from ..conf import support_settings
from .headers import LOOP_HEADER, loop_marker

_PRECEDENCE = {"bulk", "junk", "list", "auto_reply"}
_DAEMONS = {"mailer-daemon", "postmaster"}


def own_mail_reason(parsed, own_addresses=()):
    """Why ``parsed`` is the help desk's own mail coming back, or None."""
    if parsed.header(LOOP_HEADER) == loop_marker():
        return _("Our own e-mail came back.")
    ours = {address.lower() for address in own_addresses if address}
    ours.add((support_settings.FROM_EMAIL or settings.DEFAULT_FROM_EMAIL or "").lower())
    if parsed.from_email and parsed.from_email in ours:
        return _("Sent from the help desk's own address.")
    return None


def automatic_reason(parsed):
    """Why ``parsed`` looks machine-written (auto-reply, bounce, list mail), or None."""
    auto_submitted = (parsed.header("auto-submitted") or "").split(";")[0].strip().lower()
    if auto_submitted and auto_submitted != "no":
        return _("Auto-Submitted: %(value)s") % {"value": auto_submitted}
    for name in ("x-autoreply", "x-autorespond"):
        if parsed.header(name) is not None:
            return _("%(header)s header") % {"header": name}
    precedence = (parsed.header("precedence") or "").strip().lower()
    if precedence in _PRECEDENCE:
        return _("Precedence: %(value)s") % {"value": precedence}
    return_path = parsed.header("return-path")
    if return_path is not None and return_path.strip() in ("", "<>"):
        return _("Empty Return-Path (a bounce)")
    local_part = parsed.from_email.split("@")[0]
    if local_part in _DAEMONS:
        return _("Sent by %(sender)s") % {"sender": local_part}
    if parsed.content_type == "multipart/report" or is_report(parsed):
        return _("A delivery or read report")
    return None


# The machine-readable part of a delivery report (RFC 3464, 6533), a read receipt (RFC 8098) and
# an abuse report (RFC 5965). ESPs that hand over parsed fields (Mailjet, Brevo) lose the
# top-level multipart/report but keep these parts, or at least their fields as text.
_REPORT_TYPES = {
    "message/delivery-status",
    "message/global-delivery-status",
    "message/disposition-notification",
    "message/global-disposition-notification",
    "message/feedback-report",
}
# Fields that together occur only in such a part (a line each, "Name: value").
_REPORT_FIELDS = (
    ("final-recipient", "action", "status"),
    ("reporting-ua", "disposition"),
    ("final-recipient", "disposition"),
    ("feedback-type", "user-agent", "version"),
)
_REPORT_SCAN = 16_000


def is_report(parsed):
    """Whether ``parsed`` holds a delivery report, read receipt or abuse report, by its parts'
    types or by their fields wherever they ended up (an attachment, the text)."""
    if parsed.part_types & _REPORT_TYPES:
        return True
    if (parsed.header("content-type") or "").lower().startswith("multipart/report"):
        return True
    texts = [parsed.text[:_REPORT_SCAN]]
    texts.extend(
        attachment.data[:_REPORT_SCAN].decode("utf-8", "replace")
        for attachment in parsed.attachments
        if attachment.content_type.startswith(("text/", "message/"))
        or attachment.content_type == "application/octet-stream"
    )
    for text in texts:
        names = {line.split(":", 1)[0].lower() for line in text.splitlines() if ":" in line}
        if any(all(name in names for name in fields) for fields in _REPORT_FIELDS):
            return True
    return False


def marked_as_spam(parsed):
    """The receiving mail system's spam verdict (SpamAssassin, Amazon SES), when it left one: such
    mail becomes a ticket in the Spam list and is never confirmed."""
    flag = (parsed.header("x-spam-flag") or "").strip().lower()
    status = (parsed.header("x-spam-status") or "").strip().lower()
    ses = (parsed.header("x-ses-spam-verdict") or "").strip().upper()
    return flag.startswith("yes") or status.startswith("yes") or ses == "FAIL"
