"""Security (issue #13, items 2, 3 and 4): every ESP anymail supports delivers a binary file
byte for byte; the stored raw copy is the message the ESP delivered (or marked as rebuilt where
the ESP sent parsed fields only); a raw UTF-8 file name is read as UTF-8."""

import pytest
from django.test import override_settings

from tests import esp_posts
from tests.mail import deliver, raw_mail
from wagtail_support.models import InboundEmail, Ticket

pytestmark = pytest.mark.django_db

# Every byte value, CR and LF alone and in pairs among them: what a PNG or a ZIP holds.
ALL_BYTES = bytes(range(256)) + b"\r\n\r\r\n\n\r" + bytes(range(255, -1, -1))
BUILDERS = {**esp_posts.ORIGINAL, **esp_posts.PARSED}


@pytest.fixture(autouse=True)
def anymail_settings():
    with override_settings(ANYMAIL=esp_posts.ANYMAIL):
        yield


def _crlf(raw):
    """What arrives over SMTP: CRLF line ends, and a long header folded as the sender did."""
    return raw.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")


def _message(**kwargs):
    return _crlf(
        raw_mail(
            subject="Screenshot " + "of the printer's error dialog " * 3,
            attachments=[("screen.png", ALL_BYTES, "image/png")],
            **kwargs,
        )
    )


def _processed():
    inbound = InboundEmail.objects.get()
    assert inbound.status == "processed", (inbound.reason, inbound.error)
    return inbound, Ticket.objects.get()


@pytest.mark.parametrize("esp", sorted(BUILDERS))
def test_a_binary_attachment_arrives_byte_for_byte(client, esp):
    response = BUILDERS[esp](client, _message())
    assert response.status_code == 200, response.content
    _inbound, ticket = _processed()
    attachment = ticket.attachments.get()
    with attachment.file.open("rb") as stored:
        assert stored.read() == ALL_BYTES
    assert attachment.original_name == "screen.png" and attachment.size == len(ALL_BYTES)


@pytest.mark.parametrize("esp", sorted(esp_posts.ORIGINAL))
def test_the_raw_copy_is_what_the_esp_delivered(client, esp):
    raw = _message()
    esp_posts.ORIGINAL[esp](client, raw)
    inbound, _ticket = _processed()
    assert bytes(inbound.raw) == raw and inbound.size == len(raw)
    assert not inbound.rebuilt


@pytest.mark.parametrize("esp", sorted(esp_posts.PARSED))
def test_a_message_rebuilt_from_parsed_fields_is_marked_so(client, esp):
    esp_posts.PARSED[esp](client, _message())
    inbound, _ticket = _processed()
    assert inbound.rebuilt


def test_8bit_mail_through_base64_ses_is_kept_byte_for_byte(client):
    pytest.importorskip("boto3")
    raw = (
        b"From: ann@example.net\r\nTo: support@example.com\r\nSubject: KOI8\r\n"
        b"Message-ID: <koi8@example.net>\r\nMIME-Version: 1.0\r\n"
        b"Content-Type: text/plain; charset=koi8-r\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
        + "Принтер горит".encode("koi8-r") + b"\r\n"
    )  # fmt: skip
    esp_posts.amazon_ses(client, raw)
    inbound, ticket = _processed()
    assert bytes(inbound.raw) == raw
    assert ticket.messages.get().text == "Принтер горит"


def _with_raw_utf8_name(name):
    raw = _crlf(raw_mail(attachments=[("placeholder.pdf", b"%PDF-1.4", "application/pdf")]))
    return raw.replace(b"placeholder.pdf", name.encode())


def test_a_raw_utf8_file_name_is_decoded():
    result = deliver(_with_raw_utf8_name("Отчёт.pdf"))
    assert result.status == "processed", result.reason
    assert result.ticket.attachments.get().original_name == "Отчёт.pdf"


@pytest.mark.parametrize("esp", sorted(esp_posts.ORIGINAL))
def test_a_raw_utf8_file_name_is_decoded_from_every_raw_esp(client, esp):
    esp_posts.ORIGINAL[esp](client, _with_raw_utf8_name("Отчёт за март.pdf"))
    _inbound, ticket = _processed()
    assert ticket.attachments.get().original_name == "Отчёт за март.pdf"
