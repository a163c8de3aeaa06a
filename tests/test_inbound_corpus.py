"""Malformed and hostile e-mail (issue #7): none crashes the pipeline, none loses its raw copy, and
nothing dangerous survives into a ticket."""

import re

import pytest

from tests.inbound_corpus import corpus
from tests.mail import deliver
from wagtail_support.models import Attachment, Message, Ticket

pytestmark = pytest.mark.django_db

CASES = corpus()


def test_the_corpus_is_big_enough():
    assert len(CASES) >= 50
    assert len({name for name, _raw in CASES}) == len(CASES)


@pytest.mark.parametrize(("name", "raw"), CASES, ids=[name for name, _raw in CASES])
def test_hostile_mail_is_kept_and_handled(name, raw):
    result = deliver(raw)
    assert result.status in {"processed", "dropped", "quarantined"}, (result.status, result.error)
    assert bytes(result.raw) == raw and result.size == len(raw)
    for ticket in Ticket.objects.all():
        assert not re.search(r"[\r\n]", ticket.subject)
        assert not re.search(r"[\r\n]", ticket.customer_name)
    for message in Message.objects.all():
        assert "<script" not in message.html.lower()
        assert "javascript:" not in message.html.lower()
        assert " onerror" not in message.html.lower() and " onload" not in message.html.lower()
        assert "<iframe" not in message.html.lower() and "<form" not in message.html.lower()
        assert "\x00" not in message.text
    for attachment in Attachment.objects.all():
        assert "/" not in attachment.original_name and "\\" not in attachment.original_name
        assert not re.search(r"[\x00-\x1f]", attachment.original_name)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("cp1251", "Привет, мир"),
        ("koi8-r", "Здравствуйте"),
        ("undeclared-8bit", "Заявка"),
        ("unknown-charset", "caf"),
        ("iso-2022-jp", "日本語"),
    ],
)
def test_legacy_and_unknown_charsets_are_decoded(name, expected):
    raw = dict(CASES)[name]
    result = deliver(raw)
    assert result.status == "processed", result.reason
    assert expected in result.message.text


def test_a_ten_megabyte_body_is_cut_for_display_but_kept_whole():
    raw = dict(CASES)["10mb-text-body"]
    result = deliver(raw)
    assert result.status == "processed"
    assert 0 < len(result.message.text) < len(raw) and bytes(result.raw) == raw


def test_a_subject_cannot_smuggle_headers():
    result = deliver(dict(CASES)["subject-crlf-encoded"])
    assert result.ticket.subject == "Hi Bcc: all@example.com"
