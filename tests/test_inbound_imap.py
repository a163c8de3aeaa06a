"""The IMAP poller against a real Dovecot on loopback (issue #7): a mailbox per Source, each
message stored before it is flagged seen, nothing fetched twice into two messages."""

import imaplib

import pytest
from django.test import TestCase

from tests.imap_server import running_dovecot
from tests.mail import raw_mail
from wagtail_support import tasks
from wagtail_support.mail.addresses import reply_address
from wagtail_support.models import InboundEmail, Message, Source, Ticket

pytestmark = [pytest.mark.imap, pytest.mark.django_db]


@pytest.fixture
def imap(monkeypatch):
    with running_dovecot() as (host, port, user, password):
        monkeypatch.setenv("WS_TEST_IMAP_PASSWORD", password)
        source = Source.objects.get(slug="email")
        source.imap_host, source.imap_port, source.imap_ssl = host, port, False
        source.imap_username, source.imap_password_env = user, "WS_TEST_IMAP_PASSWORD"
        source.save()
        client = imaplib.IMAP4(host, port)
        client.login(user, password)
        try:
            yield client
        finally:
            client.logout()


def _append(client, raw):
    status, _data = client.append("INBOX", None, None, raw)
    assert status == "OK"


def _poll():
    with TestCase.captureOnCommitCallbacks(execute=True):
        tasks.poll_mailboxes()


def _unseen(client):
    client.select("INBOX")
    return client.search(None, "UNSEEN")[1][0].split()


def test_the_poller_feeds_the_mailbox_into_the_pipeline(imap):
    _append(imap, raw_mail(subject="From the mailbox", message_id="<imap-1@example.net>"))
    _append(imap, raw_mail(headers={"Auto-Submitted": "auto-replied"}, subject="Away"))
    assert len(_unseen(imap)) == 2
    _poll()
    stored = InboundEmail.objects.order_by("pk")
    assert [(i.channel, i.status) for i in stored] == [("imap", "processed"), ("imap", "dropped")]
    ticket = Ticket.objects.get()
    assert ticket.subject == "From the mailbox" and ticket.source.slug == "email"
    assert _unseen(imap) == []

    _append(imap, raw_mail(to=reply_address(ticket.pk, "support@example.com"), text="More\n"))
    _poll()
    assert ticket.messages.count() == 2 and Ticket.objects.count() == 1


def test_mail_fetched_again_after_a_crash_makes_no_second_message(imap):
    _append(imap, raw_mail(message_id="<imap-twice@example.net>"))
    _poll()
    # As if the poller died after storing the message but before flagging it seen.
    imap.select("INBOX")
    imap.store("1:*", "-FLAGS", "(\\Seen)")
    _poll()
    assert sorted(InboundEmail.objects.values_list("status", flat=True)) == [
        "duplicate",
        "processed",
    ]
    assert Message.objects.count() == 1


def test_a_wrong_password_stores_nothing_and_leaves_the_mail(imap, monkeypatch):
    _append(imap, raw_mail())
    monkeypatch.setenv("WS_TEST_IMAP_PASSWORD", "wrong")
    _poll()  # logged, not raised: other mailboxes still get polled
    assert not InboundEmail.objects.exists() and len(_unseen(imap)) == 1
