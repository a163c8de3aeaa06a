"""Raw e-mail for the inbound tests, built the way mail clients build it."""

from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from django.test import TestCase
from django.utils import timezone

from wagtail_support.mail import inbound


def raw_mail(
    *,
    sender="Ann Customer <ann@example.net>",
    to="support@example.com",
    cc=None,
    subject="My printer is on fire",
    text="It will not stop burning.\n",
    html=None,
    message_id=None,
    in_reply_to=None,
    references=None,
    headers=None,
    attachments=(),
):
    """Bytes of a message; ``attachments`` are (name, bytes, mime type) triples."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    if cc:
        message["Cc"] = cc
    message["Subject"] = subject
    message["Date"] = format_datetime(timezone.now())
    message["Message-ID"] = message_id or make_msgid(domain="example.net")
    if in_reply_to:
        message["In-Reply-To"] = in_reply_to
    if references:
        message["References"] = references
    for name, value in (headers or {}).items():
        message[name] = value
    message.set_content(text)
    if html:
        message.add_alternative(html, subtype="html")
    for name, data, mime in attachments:
        maintype, subtype = mime.split("/")
        message.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    return message.as_bytes()


def deliver(raw, **kwargs):
    """Stores and processes one message as the command does; returns the InboundEmail."""
    kwargs.setdefault("channel", "command")
    # The test's transaction never commits: run what the pipeline schedules for after commit.
    with TestCase.captureOnCommitCallbacks(execute=True):
        stored = inbound.store(raw, **kwargs)
        result = inbound.process(stored.pk)
    return result
