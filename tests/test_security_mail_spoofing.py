"""Security (issue #13, items 1 and 4): a sender's address is read from what the From header says
it is, never from its display name, whatever the display name encodes; the world's addresses
(RFC 6531) are accepted, not quarantined."""

from email.utils import make_msgid

import pytest
from django.core import mail

from tests.mail import deliver
from tests.utils import new_ticket
from wagtail_support.mail.parse import normalize_address, parse
from wagtail_support.models import OutboundEmail

pytestmark = pytest.mark.django_db

ANN = "ann@customer.example"
MALLORY = "mallory@attacker.example"


def _raw(sender, subject="My printer is on fire", extra=b""):
    return (
        b"From: " + sender + b"\r\nTo: support@example.com\r\nSubject: " + subject.encode()
        + b"\r\nMessage-ID: " + make_msgid(domain="x.example").encode() + b"\r\n"
        + extra + b"MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
        + b"Hello\r\n"
    )  # fmt: skip


SPOOFS = [
    # The encoded word decodes to Ann's address: it is a display name all the same.
    b"=?utf-8?Q?ann@customer.example?= <mallory@attacker.example>",
    b"=?utf-8?B?YW5uQGN1c3RvbWVyLmV4YW1wbGU=?= <mallory@attacker.example>",
    # An encoded CR LF in the display name, with a header line after it.
    b"=?utf-8?Q?Ann=0D=0AFrom:_ann@customer.example?= <mallory@attacker.example>",
    b"=?utf-8?Q?ann@customer.example=0D=0A?= <mallory@attacker.example>",
]


@pytest.mark.parametrize("sender", SPOOFS)
def test_an_encoded_display_name_is_never_the_address(sender):
    parsed = parse(_raw(sender))
    assert parsed.from_email == MALLORY
    assert "\r" not in parsed.from_name and "\n" not in parsed.from_name


@pytest.mark.parametrize("sender", SPOOFS)
def test_a_spoofed_reply_does_not_post_on_the_customers_ticket(sender):
    ticket = new_ticket("email", email=ANN)
    result = deliver(_raw(sender, subject=f"Re: [#{ticket.number}] My printer"))
    assert ticket.messages.count() == 1  # nothing was posted as Ann
    assert result.ticket != ticket and result.sender == MALLORY
    if result.ticket is not None:  # a request of its own, in Mallory's name
        assert result.ticket.customer_email == MALLORY


@pytest.mark.parametrize("sender", SPOOFS)
def test_the_confirmation_goes_to_the_real_address_only(sender):
    deliver(_raw(sender))
    recipients = {address for message in mail.outbox for address in message.to}
    stored = {a for row in OutboundEmail.objects.all() for a in row.to}
    assert ANN not in recipients | stored
    assert recipients <= {MALLORY}


@pytest.mark.parametrize(
    "sender",
    [
        b"=?utf-8?Q?ann@customer.example?=",  # only an encoded word: no address at all
        b"=?utf-8?Q?ann@customer.example=0D=0A?=",
        b"<>",
        b"Ann Customer",
    ],
)
def test_a_sender_without_a_parseable_address_is_quarantined(sender):
    result = deliver(_raw(sender))
    assert result.status == "quarantined" and result.ticket is None
    assert mail.outbox == []


def test_an_internationalised_sender_becomes_a_ticket_and_is_confirmed():
    result = deliver(_raw("Пётр <пётр@пример.рф>".encode()))
    assert result.status == "processed", result.reason
    assert result.ticket.customer_email == "пётр@пример.рф"
    assert result.ticket.customer_name == "Пётр"
    assert OutboundEmail.objects.get(ticket=result.ticket).to == ["пётр@пример.рф"]


def test_internationalised_recipients_and_copies_are_read():
    parsed = parse(_raw(b"ann@example.net", extra="Cc: Иван <иван@почта.рф>\r\n".encode()))
    assert parsed.cc == ["иван@почта.рф"]


@pytest.mark.parametrize(
    ("address", "expected"),
    [
        ("Ann@Example.NET", "ann@example.net"),
        ("пётр@пример.рф", "пётр@пример.рф"),
        ("用户@例子.广告", "用户@例子.广告"),
        ("=?utf-8?Q?ann?=@example.net", ""),
        ("ann@customer.example?=", ""),
        ("ann@localhost", ""),
        ("a b@example.net", ""),
        ("ann@exa mple.net", ""),
    ],
)
def test_address_normalisation(address, expected):
    assert normalize_address(address) == expected


def test_a_quarantined_senders_listing_shows_no_address_from_a_display_name():
    result = deliver(_raw(b"=?utf-8?Q?ann@customer.example?="))
    assert result.status == "quarantined"
    assert result.sender != ANN and "=?utf-8?Q?" in result.sender


def test_a_long_plain_recipient_list_is_read_to_its_end():
    crowd = ", ".join(f"User {n} <user{n}@example.net>" for n in range(1000))
    parsed = parse(_raw(b"ann@example.net", extra=f"To: {crowd}, support@example.com\r\n".encode()))
    assert len(parsed.to) == 1002 and parsed.to[-1] == "support@example.com"
