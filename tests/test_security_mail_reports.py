"""Security (issue #13, item 5): delivery reports, read receipts and abuse reports never become
requests nor get a confirmation, also when the ESP flattened them (Mailjet, Brevo lose the
top-level multipart/report) — answering them would start a mail loop or mail a third party."""

import pytest
from django.core import mail
from django.test import override_settings

from tests import esp_posts
from tests.mail import deliver
from wagtail_support.mail.parse import parse
from wagtail_support.models import InboundEmail, OutboundEmail, Ticket

pytestmark = pytest.mark.django_db

HEAD = (
    "From: {sender}\r\nTo: support@example.com\r\nSubject: {subject}\r\n"
    "Message-ID: <{kind}-report@mail.example.org>\r\nMIME-Version: 1.0\r\n"
    'Content-Type: multipart/report; report-type={kind}; boundary="RR"\r\n\r\n'
    "--RR\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n{text}\r\n"
)
ORIGINAL = (
    "--RR\r\nContent-Type: text/rfc822-headers\r\n\r\n"
    "From: support@example.com\r\nTo: gone@customer.example\r\nSubject: Re: [#MAIL-1]\r\n\r\n"
    "--RR--\r\n"
)
DSN = (
    "--RR\r\nContent-Type: message/delivery-status\r\n\r\n"
    "Reporting-MTA: dns; mail.example.org\r\n\r\n"
    "Final-Recipient: rfc822; gone@customer.example\r\nAction: failed\r\nStatus: 5.1.1\r\n\r\n"
)
MDN = (
    "--RR\r\nContent-Type: message/disposition-notification\r\n\r\n"
    "Reporting-UA: mail.customer.example; Webmail\r\n"
    "Final-Recipient: rfc822; ann@customer.example\r\n"
    "Original-Message-ID: <reply-1@example.com>\r\n"
    "Disposition: manual-action/MDN-sent-manually; displayed\r\n\r\n"
)
ARF = (
    "--RR\r\nContent-Type: message/feedback-report\r\n\r\n"
    "Feedback-Type: abuse\r\nUser-Agent: SomeGenerator/1.0\r\nVersion: 1\r\n\r\n"
)
# People write these reports too: none has an automatic header, a daemon's address or an empty
# Return-Path, so only its report part gives it away.
REPORTS = {
    "delivery-status": ("postbox@mail.example.org", "Undelivered mail", "Could not deliver.", DSN),
    "disposition-notification": ("Ann <ann@customer.example>", "Read: Re: [#MAIL-1]",
                                 "Your message was displayed.", MDN),
    "feedback-report": ("abuse-desk@isp.example", "Abuse report", "A complaint.", ARF),
}  # fmt: skip


def _report(kind):
    sender, subject, text, part = REPORTS[kind]
    head = HEAD.format(sender=sender, subject=subject, kind=kind, text=text)
    return (head + part + ORIGINAL).encode()


@pytest.fixture(autouse=True)
def anymail_settings():
    with override_settings(ANYMAIL=esp_posts.ANYMAIL):
        yield


def _nothing_answered():
    inbound = InboundEmail.objects.get()
    assert inbound.status in ("dropped", "quarantined"), inbound.status
    assert not Ticket.objects.exists() and not OutboundEmail.objects.exists()
    assert mail.outbox == []


@pytest.mark.parametrize("kind", sorted(REPORTS))
def test_a_report_delivered_whole_is_not_a_request(kind):
    deliver(_report(kind))
    _nothing_answered()


@pytest.mark.parametrize("kind", sorted(REPORTS))
@pytest.mark.parametrize("esp", ["mailjet", "brevo", "postmark_parsed", "mailgun_parsed"])
def test_a_report_flattened_by_an_esp_is_not_a_request(client, esp, kind):
    response = esp_posts.PARSED[esp](client, _report(kind))
    assert response.status_code == 200
    _nothing_answered()


@pytest.mark.parametrize("kind", sorted(REPORTS))
def test_a_report_whose_fields_ended_up_as_text_is_found(kind):
    _sender, _subject, _text, part = REPORTS[kind]
    fields = part.split("\r\n\r\n", 1)[1]
    raw = (
        "From: postbox@mail.example.org\r\nTo: support@example.com\r\nSubject: Notice\r\n"
        "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=MM\r\n\r\n"
        "--MM\r\nContent-Type: text/plain\r\n\r\nSee the details.\r\n"
        '--MM\r\nContent-Type: text/plain; name="details.txt"\r\n'
        'Content-Disposition: attachment; filename="details.txt"\r\n\r\n' + fields + "--MM--\r\n"
    ).encode()
    deliver(raw)
    _nothing_answered()


def test_a_customer_mentioning_status_and_action_is_still_a_request():
    raw = (
        b"From: ann@customer.example\r\nTo: support@example.com\r\nSubject: Order\r\n"
        b"\r\nAction: please refund\r\nStatus: waiting\r\n"
    )
    result = deliver(raw)
    assert result.status == "processed" and parse(raw).from_email == "ann@customer.example"
