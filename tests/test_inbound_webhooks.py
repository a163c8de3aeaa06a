"""ESP inbound webhooks, in each ESP's real payload format, posted to anymail's inbound URLs: all
of them land in the one pipeline (issue #7)."""

import base64
import hashlib
import hmac
import json
import time
import warnings

import pytest
from django.test import TestCase, override_settings

from tests import esp_posts
from tests.esp_posts import ANYMAIL, AUTH, MAILGUN_KEY
from tests.mail import raw_mail
from wagtail_support.models import InboundEmail, Ticket

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def anymail_settings():
    with override_settings(ANYMAIL=ANYMAIL):
        yield


def _post(client, *args, **kwargs):
    """Posts as an ESP does; the test's transaction never commits, so what the pipeline
    schedules for after the commit runs at the end of the request."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(*args, **kwargs)


def _mailgun_signature():
    timestamp, token = str(int(time.time())), "a" * 50
    signature = hmac.new(
        MAILGUN_KEY.encode(), f"{timestamp}{token}".encode(), hashlib.sha256
    ).hexdigest()
    return {"timestamp": timestamp, "token": token, "signature": signature}


def _only_ticket():
    inbound = InboundEmail.objects.get()
    assert inbound.channel == "webhook" and inbound.status == "processed", inbound.reason
    return inbound, Ticket.objects.get()


def test_mailgun_raw_mime(client):
    raw = raw_mail(subject="Via Mailgun", text="Mailgun body\n")
    response = _post(
        client,
        "/anymail/mailgun/inbound/",
        {
            "body-mime": raw.decode(),
            "recipient": "support@example.com",
            "sender": "ann@example.net",
            **_mailgun_signature(),
        },
        **AUTH,
    )
    assert response.status_code == 200
    inbound, ticket = _only_ticket()
    assert inbound.esp == "Mailgun" and ticket.subject == "Via Mailgun"
    assert ticket.messages.get().text == "Mailgun body"


def test_mailgun_parsed_fields_with_an_attachment(client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = _post(
        client,
        "/anymail/mailgun/inbound/",
        {
            "recipient": "support@example.com",
            "sender": "ann@example.net",
            "from": "Ann Customer <ann@example.net>",
            "subject": "Parsed by Mailgun",
            "body-plain": "Plain body",
            "body-html": "<p>Plain body</p>",
            "message-headers": json.dumps(
                [
                    ["From", "Ann Customer <ann@example.net>"],
                    ["To", "support@example.com"],
                    ["Subject", "Parsed by Mailgun"],
                    ["Message-Id", "<mg-parsed@example.net>"],
                ]
            ),
            "attachment-count": "1",
            "attachment-1": SimpleUploadedFile("log.txt", b"log line", "text/plain"),
            **_mailgun_signature(),
        },
        **AUTH,
    )
    assert response.status_code == 200
    inbound, ticket = _only_ticket()
    assert inbound.email_message_id == "mg-parsed@example.net"
    assert ticket.customer_name == "Ann Customer"
    assert list(ticket.attachments.values_list("original_name", flat=True)) == ["log.txt"]


def test_mailgun_with_a_bad_signature_is_refused_and_stores_nothing(client):
    response = _post(
        client,
        "/anymail/mailgun/inbound/",
        {"body-mime": raw_mail().decode(), "timestamp": "1", "token": "x", "signature": "bad"},
        **AUTH,
    )
    assert response.status_code == 400 and not InboundEmail.objects.exists()


def test_the_envelope_recipient_threads_a_bccd_reply(client):
    from tests.utils import new_ticket
    from wagtail_support.mail.addresses import reply_address

    ticket = new_ticket("email", email="ann@example.net")
    response = _post(
        client,
        "/anymail/mailgun/inbound/",
        {
            "body-mime": raw_mail(to="someone-else@example.org").decode(),
            "recipient": reply_address(ticket.pk, "support@example.com"),
            **_mailgun_signature(),
        },
        **AUTH,
    )
    assert response.status_code == 200
    assert InboundEmail.objects.get().ticket == ticket and ticket.messages.count() == 2


def test_sendgrid_raw(client):
    raw = raw_mail(subject="Via SendGrid")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # anymail 15 deprecates SendGrid with a warning
        response = _post(
            client,
            "/anymail/sendgrid/inbound/",
            {
                "email": raw.decode(),
                "envelope": json.dumps({"to": ["support@example.com"], "from": "ann@example.net"}),
                "spam_score": "0.1",
                "charsets": json.dumps({"to": "UTF-8", "subject": "UTF-8", "from": "UTF-8"}),
            },
            **AUTH,
        )
    assert response.status_code == 200
    _inbound, ticket = _only_ticket()
    assert ticket.subject == "Via SendGrid"


def test_sendgrid_parsed_fields(client):
    headers = (
        "From: Ann Customer <ann@example.net>\nTo: support@example.com\n"
        "Subject: SendGrid parsed\nMessage-ID: <sg-parsed@example.net>\n"
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        response = _post(
            client,
            "/anymail/sendgrid/inbound/",
            {
                "headers": headers,
                "from": "Ann Customer <ann@example.net>",
                "to": "support@example.com",
                "subject": "SendGrid parsed",
                "text": "Parsed text\n",
                "envelope": json.dumps({"to": ["support@example.com"], "from": "ann@example.net"}),
                "charsets": json.dumps({"text": "utf-8"}),
            },
            **AUTH,
        )
    assert response.status_code == 200
    inbound, ticket = _only_ticket()
    assert inbound.email_message_id == "sg-parsed@example.net"
    assert ticket.messages.get().text == "Parsed text"


def test_postmark_json(client):
    payload = {
        "FromName": "Ann Customer",
        "MessageStream": "inbound",
        "From": "ann@example.net",
        "FromFull": {"Email": "ann@example.net", "Name": "Ann Customer", "MailboxHash": ""},
        "To": "support@example.com",
        "ToFull": [{"Email": "support@example.com", "Name": "", "MailboxHash": ""}],
        "Cc": "bob@example.net",
        "CcFull": [{"Email": "bob@example.net", "Name": "Bob", "MailboxHash": ""}],
        "Bcc": "",
        "BccFull": [],
        "OriginalRecipient": "support@example.com",
        "Subject": "Via Postmark",
        "MessageID": "22c74902-a0c1-4511-804f-341342852c90",
        "ReplyTo": "",
        "MailboxHash": "",
        "Date": "Thu, 5 Apr 2026 16:59:01 +0200",
        "TextBody": "Postmark body\n",
        "HtmlBody": "<p>Postmark body</p>",
        "StrippedTextReply": "",
        "Tag": "",
        "Headers": [
            {"Name": "Return-Path", "Value": "<ann@example.net>"},
            {"Name": "Message-ID", "Value": "<pm-1@example.net>"},
            {"Name": "X-Spam-Status", "Value": "No"},
        ],
        "Attachments": [
            {
                "Name": "photo.png",
                "Content": base64.b64encode(b"\x89PNG fake").decode(),
                "ContentType": "image/png",
                "ContentLength": 9,
            }
        ],
    }
    response = _post(
        client, "/anymail/postmark/inbound/", json.dumps(payload), "application/json", **AUTH
    )
    assert response.status_code == 200
    inbound, ticket = _only_ticket()
    assert inbound.email_message_id == "pm-1@example.net" and ticket.subject == "Via Postmark"
    assert list(ticket.participants.values_list("email", flat=True)) == ["bob@example.net"]
    assert ticket.attachments.get().original_name == "photo.png"


def test_amazon_ses_sns_base64_with_a_cp1251_body(client):
    pytest.importorskip("boto3")
    raw = (
        b"From: =?windows-1251?b?" + base64.b64encode("Анна".encode("cp1251")) + b"?= "
        b"<anna@example.ru>\r\nTo: support@example.com\r\nSubject: SES\r\n"
        b"Message-ID: <ses-1@example.ru>\r\nMIME-Version: 1.0\r\n"
        b"Content-Type: text/plain; charset=windows-1251\r\n"
        b"Content-Transfer-Encoding: 8bit\r\n\r\n" + "Принтер горит".encode("cp1251") + b"\r\n"
    )
    response = esp_posts.amazon_ses(client, raw)
    assert response.status_code == 200
    inbound, ticket = _only_ticket()
    assert inbound.esp == "Amazon SES"
    assert ticket.customer_name == "Анна" and ticket.messages.get().text == "Принтер горит"


def test_every_esp_needs_the_webhook_secret(client):
    response = _post(
        client, "/anymail/postmark/inbound/", json.dumps({"From": "a@b.c"}), "application/json"
    )
    assert response.status_code == 400 and not InboundEmail.objects.exists()


def test_the_same_mail_from_two_esps_makes_one_message(client):
    raw = raw_mail(message_id="<twice@example.net>")
    _post(
        client,
        "/anymail/mailgun/inbound/",
        {"body-mime": raw.decode(), **_mailgun_signature()},
        **AUTH,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        _post(client, "/anymail/sendgrid/inbound/", {"email": raw.decode()}, **AUTH)
    statuses = sorted(InboundEmail.objects.values_list("status", flat=True))
    assert statuses == ["duplicate", "processed"] and Ticket.objects.count() == 1
