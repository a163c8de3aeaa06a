"""How long mail bodies are kept: the purge of sent mail's text and HTML (the HTML sooner) and
of incoming mail's raw copy, its thresholds, threading that still works afterwards, the admin's
notice, and the job in celery beat and in ``manage.py support_periodic``."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.mail import deliver, raw_mail
from tests.utils import admin_login, make_agent, make_user, new_ticket
from tests.utils import perform_action as act
from wagtail_support import tasks
from wagtail_support.beat import BEAT_SCHEDULE
from wagtail_support.mail import retention
from wagtail_support.models import (
    InboundEmail,
    InboundStatus,
    OutboundEmail,
    OutboundKind,
    OutboundStatus,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def conversation(clock, commit):
    """A guest's request by e-mail, answered by an agent: the customer's stored mail, the
    confirmation and the reply notification, all sent."""
    with commit():
        received = deliver(raw_mail(sender="Gus <gus@example.net>", subject="Broken hinge"))
    ticket = received.ticket
    clock.advance(hours=1)
    with commit():
        act(ticket, "reply", make_agent("anna"), {"message": "A new hinge is on its way."})
    return ticket


def reply_notification(ticket):
    return OutboundEmail.objects.filter(
        ticket=ticket, to=["gus@example.net"], kind=OutboundKind.NOTIFICATION
    ).get()


def test_sent_mail_keeps_its_body_until_the_keep_time_is_over(conversation, clock, settings):
    settings.WAGTAIL_SUPPORT_SENT_MAIL_BODY_DAYS = 90
    sent = reply_notification(conversation)
    assert sent.status == OutboundStatus.SENT and sent.body and sent.html
    clock.advance(days=89)
    assert retention.purge_sent_mail() == 0
    clock.advance(days=2)
    assert retention.purge_sent_mail() == 2  # the confirmation and the reply notification
    sent.refresh_from_db()
    assert (sent.body, sent.html) == ("", "")
    assert sent.body_purged_at == clock.now
    # What threads and describes the mail stays.
    assert sent.email_message_id and sent.in_reply_to and sent.to == ["gus@example.net"]
    assert sent.subject and sent.references and sent.ticket_id == conversation.pk
    assert sent.message_id is not None
    assert sent.removed_notice == "Body removed after 91 days (retention setting)."
    # Done once: a second run finds nothing.
    assert retention.purge_sent_mail() == 0


def test_by_default_sent_mail_keeps_its_body_for_two_weeks(conversation, clock):
    sent = reply_notification(conversation)
    clock.advance(days=13)
    assert retention.purge_sent_mail() == 0
    clock.advance(days=2)
    assert retention.purge_sent_mail() == 2
    sent.refresh_from_db()
    assert sent.body == ""
    assert sent.removed_notice == "Body removed after 15 days (retention setting)."


def test_mail_not_sent_yet_keeps_its_body_whatever_its_age(conversation, clock, settings):
    settings.WAGTAIL_SUPPORT_SENT_MAIL_BODY_DAYS = 1
    OutboundEmail.objects.filter(ticket=conversation).update(status=OutboundStatus.FAILED)
    clock.advance(days=400)
    assert retention.purge_sent_mail() == 0
    assert all(OutboundEmail.objects.values_list("body", flat=True))


def test_none_keeps_bodies_forever(conversation, clock, settings):
    settings.WAGTAIL_SUPPORT_SENT_MAIL_BODY_DAYS = None
    settings.WAGTAIL_SUPPORT_SENT_MAIL_HTML_DAYS = None
    settings.WAGTAIL_SUPPORT_INBOUND_RAW_DAYS = None
    clock.advance(days=3650)
    assert retention.purge() == {"sent_mail": 0, "sent_html": 0, "inbound_mail": 0}
    assert bytes(InboundEmail.objects.get().raw)
    assert all(OutboundEmail.objects.values_list("body", flat=True))
    assert all(OutboundEmail.objects.values_list("html", flat=True))


def test_the_html_part_goes_before_the_text(conversation, clock, settings):
    settings.WAGTAIL_SUPPORT_SENT_MAIL_BODY_DAYS = None
    settings.WAGTAIL_SUPPORT_SENT_MAIL_HTML_DAYS = 7
    clock.advance(days=6)
    assert retention.purge()["sent_html"] == 0
    clock.advance(days=2)
    assert retention.purge() == {"sent_mail": 0, "sent_html": 2, "inbound_mail": 0}
    sent = reply_notification(conversation)
    assert sent.html == "" and "hinge" in sent.body
    # The text still shows what was sent: nothing to explain.
    assert sent.body_purged_at is None and sent.removed_notice == ""
    assert retention.purge()["sent_html"] == 0


def test_incoming_mail_keeps_its_raw_copy_until_the_keep_time_is_over(
    conversation, clock, settings
):
    settings.WAGTAIL_SUPPORT_INBOUND_RAW_DAYS = 30
    stored = InboundEmail.objects.get()
    size = stored.size
    clock.advance(days=29)
    assert retention.purge_inbound_mail() == 0
    clock.advance(days=2)
    assert retention.purge_inbound_mail() == 1
    stored.refresh_from_db()
    assert bytes(stored.raw) == b"" and stored.raw_purged_at == clock.now
    assert stored.size == size and stored.email_message_id and stored.sender
    assert stored.ticket_id == conversation.pk and stored.message_id is not None
    assert not stored.can_reprocess
    # The conversation itself is not touched.
    assert conversation.messages.get(from_customer=True).text


def test_mail_that_may_be_processed_again_keeps_its_raw_copy(clock, settings, commit):
    settings.WAGTAIL_SUPPORT_INBOUND_RAW_DAYS = 1
    from wagtail_support.models import Source

    Source.objects.filter(slug="email").update(enabled=False)
    quarantined = deliver(raw_mail(subject="Nowhere to go"))
    assert quarantined.status == InboundStatus.QUARANTINED
    clock.advance(days=100)
    assert retention.purge_inbound_mail() == 0
    quarantined.refresh_from_db()
    assert bytes(quarantined.raw) and quarantined.can_reprocess


def test_a_reply_threads_by_in_reply_to_after_the_purge(conversation, clock, settings, commit):
    settings.WAGTAIL_SUPPORT_SENT_MAIL_BODY_DAYS = 0
    settings.WAGTAIL_SUPPORT_INBOUND_RAW_DAYS = 0
    clock.advance(minutes=1)
    assert retention.purge() == {"sent_mail": 2, "sent_html": 0, "inbound_mail": 1}
    sent = reply_notification(conversation)
    # Threaded by the Message-ID of our purged notification…
    with commit():
        answer = deliver(
            raw_mail(
                sender="Gus <gus@example.net>",
                subject="Re: something else entirely",
                in_reply_to=f"<{sent.email_message_id}>",
            )
        )
    assert answer.status == InboundStatus.PROCESSED and answer.ticket_id == conversation.pk
    # … and by the Message-ID of the customer's own first mail, whose raw copy is gone.
    first = InboundEmail.objects.filter(raw_purged_at__isnull=False).get()
    with commit():
        again = deliver(
            raw_mail(
                sender="Gus <gus@example.net>",
                subject="Another subject",
                in_reply_to=f"<{first.email_message_id}>",
            )
        )
    assert again.ticket_id == conversation.pk
    assert conversation.messages.count() == 4


def test_the_purge_works_in_small_batches(clock, settings, commit):
    settings.WAGTAIL_SUPPORT_SENT_MAIL_BODY_DAYS = 1
    with commit():
        for n in range(5):
            new_ticket(email=f"guest{n}@example.net")
    assert OutboundEmail.objects.filter(status=OutboundStatus.SENT).count() == 5
    clock.advance(days=2)
    with CaptureQueriesContext(connection) as queries:
        assert retention.purge_sent_mail(batch=2) == 5
    updates = [q for q in queries.captured_queries if q["sql"].startswith("UPDATE")]
    selects = [q for q in queries.captured_queries if q["sql"].startswith("SELECT")]
    # Three batches of at most two rows, each one select and one update.
    assert len(updates) == 3 and len(selects) == 3
    assert not OutboundEmail.objects.exclude(body="").exists()


def test_the_admin_says_why_a_raw_copy_is_empty(conversation, clock, settings, client):
    settings.WAGTAIL_SUPPORT_INBOUND_RAW_DAYS = 30
    clock.advance(days=31)
    retention.purge()
    stored = InboundEmail.objects.get()
    admin_login(client, make_user("root", superuser=True))
    page = client.get(reverse("support_inbound_mail:inspect", args=[stored.pk])).content.decode()
    assert "Raw message removed after 31 days (retention setting)." in page
    assert "Download the raw message" not in page and "Process again" not in page
    response = client.get(reverse("support_inbound_mail:raw", args=[stored.pk]))
    assert response.status_code == 404


def test_the_purge_is_a_periodic_job_in_celery_beat(conversation, clock, settings):
    settings.WAGTAIL_SUPPORT_SENT_MAIL_BODY_DAYS = 10
    entry = next(e for e in BEAT_SCHEDULE.values() if e["task"] == "wagtail_support.purge_mail")
    assert entry["schedule"] <= dt.timedelta(days=1).total_seconds()
    assert tasks.purge_mail.name == "wagtail_support.purge_mail"
    clock.advance(days=11)
    # Run here: the task, not the broker, is what this test is about (no worker runs in it).
    assert tasks.purge_mail.apply().get() == {"sent_mail": 2, "sent_html": 0, "inbound_mail": 0}


def test_the_purge_runs_with_support_periodic(conversation, clock, settings, capsys):
    settings.WAGTAIL_SUPPORT_SENT_MAIL_BODY_DAYS = 10
    settings.WAGTAIL_SUPPORT_INBOUND_RAW_DAYS = 10
    clock.advance(days=11)
    call_command("support_periodic")
    assert "mail bodies removed: 2 sent, 1 received, 0 HTML parts" in capsys.readouterr().out
    assert not OutboundEmail.objects.exclude(body="").exists()
    assert bytes(InboundEmail.objects.get().raw) == b""
