"""Outbound mail as it leaves: headers, threading, HTML with text, delivery, retries and sending
once (issue #7, R-IN6, R-CU3), through anymail's test backend."""

import datetime
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from tests.mail_backends import FLAKY_BACKEND, TEST_BACKEND, FlakyBackend, act, use_backend
from tests.mail_backends import mail_to as sent_to
from tests.utils import make_agent, make_user, new_ticket
from wagtail_support import jobs, tasks
from wagtail_support.mail import addresses, headers
from wagtail_support.mail.confirmation import send_confirmation
from wagtail_support.mail.notify import notify_change
from wagtail_support.mail.outbound import DeliveryFailed, deliver, resend_stale
from wagtail_support.mail.render import REPLY_MARKER
from wagtail_support.models import OutboundEmail, Source
from wagtail_support.models.mail import OutboundStatus

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _anymail(settings):
    use_backend(settings, TEST_BACKEND)
    settings.DEFAULT_FROM_EMAIL = "Help <help@example.com>"


def test_every_mail_carries_its_stored_message_id_reply_to_token_and_loop_marker(commit):
    with commit():
        ticket = new_ticket(email="gus@example.net", name="Gus")
    anna = make_agent("anna")
    act(ticket, "reply", anna, commit, message="Try turning it off.")
    confirmation, reply = sent_to("gus@example.net")
    for sent in (confirmation, reply):
        header = sent.message()
        row = OutboundEmail.objects.get(
            email_message_id=headers.normalize_message_id(header["Message-ID"])
        )
        assert row.status == OutboundStatus.SENT and row.to == ["gus@example.net"]
        assert row.sent_at is not None and row.attempts == 1
        assert header[headers.LOOP_HEADER] == headers.loop_marker()
        assert addresses.ticket_id_in_addresses([header["Reply-To"]]) == ticket.pk
        assert header["Reply-To"].startswith("help+")
        assert addresses.body_reference(ticket.pk) in sent.body
        assert header["From"] == "Help <help@example.com>"
    # The reply answers the confirmation: one thread in the customer's mailbox.
    first_id = confirmation.message()["Message-ID"]
    assert reply.message()["In-Reply-To"] == first_id
    assert reply.message()["References"] == first_id


def test_automatic_mail_is_marked_and_a_persons_reply_is_not(commit):
    with commit():
        ticket = new_ticket(email="gus@example.net")
    act(ticket, "reply", make_agent("anna"), commit, message="Here is the answer.")
    confirmation, reply = sent_to("gus@example.net")
    assert confirmation.message()["Auto-Submitted"] == "auto-replied"
    assert confirmation.message()["X-Auto-Response-Suppress"] == "All"
    assert reply.message()["Auto-Submitted"] is None
    assert reply.message()[headers.LOOP_HEADER] == headers.loop_marker()


def test_html_and_plain_text_with_reply_marker_message_and_guest_link(commit):
    with commit():
        ticket = new_ticket(email="gus@example.net")
    act(ticket, "reply", make_agent("anna"), commit, message="Use <the> other cable.")
    reply = sent_to("gus@example.net")[-1]
    html, mimetype = reply.alternatives[0]
    assert mimetype == "text/html"
    assert reply.body.startswith(REPLY_MARKER) and REPLY_MARKER in html
    assert "Use <the> other cable." in reply.body
    assert "Use &lt;the&gt; other cable." in html  # escaped in HTML, verbatim in text
    assert "/my-requests/link/" in reply.body and "/my-requests/link/" in html
    assert ticket.number in reply.subject


def test_a_request_by_mail_is_confirmed_in_its_own_thread(commit):
    with commit():
        ticket = new_ticket(
            Source.objects.get(slug="email"),
            email="gus@example.net",
            email_message_id="abc123@mail.example.net",
        )
    confirmation = sent_to("gus@example.net")[0]
    assert confirmation.message()["In-Reply-To"] == "<abc123@mail.example.net>"
    assert OutboundEmail.objects.get(ticket=ticket).in_reply_to == "abc123@mail.example.net"


def test_references_keep_the_first_and_the_latest_ids_within_the_limit(commit, settings):
    settings.WAGTAIL_SUPPORT_REFERENCES_LIMIT = 3
    with commit():
        ticket = new_ticket(email="gus@example.net")
    anna = make_agent("anna")
    for number in range(4):
        act(ticket, "reply", anna, commit, message=f"Answer {number}")
    ids = [m.message()["Message-ID"] for m in sent_to("gus@example.net")]
    last = sent_to("gus@example.net")[-1].message()
    assert len(ids) == 5
    assert last["References"].split() == [ids[0], ids[2], ids[3]]
    assert last["In-Reply-To"] == ids[3]


def test_a_failed_send_is_kept_and_retried_until_it_goes_out(commit, settings):
    use_backend(settings, FLAKY_BACKEND)
    FlakyBackend.failures = 1
    with commit():
        ticket = new_ticket(email="gus@example.net")  # the retry runs at once in-process
    row = OutboundEmail.objects.get(ticket=ticket)
    assert row.status == OutboundStatus.SENT and row.attempts == 2 and row.error == ""
    assert len(sent_to("gus@example.net")) == 1


def test_delivery_records_the_failure_and_a_later_attempt_sends(settings):
    ticket = new_ticket(email="gus@example.net")  # nothing committed: nothing sent yet
    [row] = send_confirmation(ticket.pk)
    assert row.status == OutboundStatus.QUEUED and row.body and row.html
    use_backend(settings, FLAKY_BACKEND)
    FlakyBackend.failures = 1
    with pytest.raises(DeliveryFailed, match="ESP unavailable"):
        deliver(row.pk)
    row.refresh_from_db()
    assert row.status == OutboundStatus.FAILED and "ESP unavailable" in row.error
    assert mail.outbox == []
    deliver(row.pk)
    deliver(row.pk)
    row.refresh_from_db()
    assert row.status == OutboundStatus.SENT and row.attempts == 2
    assert len(mail.outbox) == 1


def test_a_mail_stays_failed_after_its_retries(commit, settings):
    use_backend(settings, FLAKY_BACKEND)
    settings.WAGTAIL_SUPPORT_SEND_RETRIES = 2
    FlakyBackend.failures = 10
    try:
        with commit():
            ticket = new_ticket(email="gus@example.net")
    finally:
        FlakyBackend.failures = 0
    row = OutboundEmail.objects.get(ticket=ticket)
    assert row.status == OutboundStatus.FAILED and row.attempts == 3
    assert mail.outbox == []


def test_running_the_tasks_twice_sends_each_mail_once(commit):
    carol = make_user("carol")
    with commit():
        ticket = new_ticket(customer=carol)
    ticket.follows.create(user=make_agent("boris"))
    outcome = act(ticket, "reply", make_agent("anna"), commit, message="Done.")
    assert [m.to for m in mail.outbox] == [
        ["carol@example.com"],  # confirmation
        ["carol@example.com"],  # the reply
        ["boris@example.com"],  # the follower
    ]
    with commit():
        again = notify_change(ticket.pk, str(outcome.events[0].operation))
        for row in OutboundEmail.objects.filter(ticket=ticket):
            jobs.run(tasks.deliver_email, row.pk)
    assert again == [] and len(mail.outbox) == 3
    assert OutboundEmail.objects.filter(ticket=ticket).count() == 3


def test_the_customers_language_is_used_for_their_mail(commit):
    with commit():
        new_ticket(email="jan@example.pl", language="pl")
        new_ticket(email="ivan@example.ru", language="ru")
    assert sent_to("jan@example.pl")[0].subject.startswith("Otrzymaliśmy Twoje zgłoszenie")
    assert sent_to("ivan@example.ru")[0].subject.startswith("Мы получили вашу заявку")
    assert OutboundEmail.objects.get(to=["jan@example.pl"]).language == "pl"


def test_mail_whose_delivery_never_started_is_sent_by_the_sweep(commit):
    ticket = new_ticket(email="gus@example.net")
    [row] = send_confirmation(ticket.pk)  # its delivery waits for a commit that never comes
    assert resend_stale() == []  # too recent: its delivery may still be on its way
    OutboundEmail.objects.filter(pk=row.pk).update(
        created_at=timezone.now() - datetime.timedelta(minutes=11)
    )
    with commit():
        assert jobs.run(tasks.send_stale_email) == [row.pk]
    row.refresh_from_db()
    assert row.status == OutboundStatus.SENT and len(mail.outbox) == 1
    assert resend_stale() == []


def test_a_ticket_is_confirmed_once_however_often_it_is_asked(commit):
    with commit():
        ticket = new_ticket(email="gus@example.net")
        jobs.run(tasks.send_confirmation, ticket.pk)
    with commit():
        assert jobs.run(tasks.send_confirmation, ticket.pk) == []
    assert len(mail.outbox) == 1


def test_reply_to_follows_the_setting_and_the_brand_signs_the_mail(commit, settings):
    settings.WAGTAIL_SUPPORT_REPLY_TO = "{token}@reply.example.com"
    settings.WAGTAIL_SUPPORT_EMAIL_BRAND = "Acme Care"
    with commit():
        ticket = new_ticket(email="gus@example.net")
    settings.WAGTAIL_SUPPORT_REPLY_TO = "off"
    act(ticket, "reply", make_agent("anna"), commit, message="Hi.")
    confirmation, reply = (m.message() for m in sent_to("gus@example.net"))
    assert confirmation["Reply-To"] == f"{addresses.token_for(ticket.pk)}@reply.example.com"
    assert reply["Reply-To"] is None
    assert confirmation["From"] == "Help <help@example.com>"  # its own display name wins
    settings.DEFAULT_FROM_EMAIL = "help@example.com"
    act(ticket, "reply", make_agent("boris"), commit, message="Hi again.")
    latest = sent_to("gus@example.net")[-1]
    assert latest.message()["From"] == "Acme Care <help@example.com>"
    assert "Acme Care" in latest.body


def test_the_command_lists_failed_mail_and_sends_it_again(commit, settings):
    use_backend(settings, FLAKY_BACKEND)
    settings.WAGTAIL_SUPPORT_SEND_RETRIES = 0
    FlakyBackend.failures = 1
    with commit():
        ticket = new_ticket(email="gus@example.net")
    row = OutboundEmail.objects.get(ticket=ticket)
    assert row.status == OutboundStatus.FAILED
    listed = StringIO()
    call_command("support_mail", "pending", stdout=listed)
    assert f"{row.pk}\tfailed\t1\tgus@example.net" in listed.getvalue()
    with commit():
        call_command("support_mail", "resend", str(row.pk), stdout=StringIO())
    row.refresh_from_db()
    assert row.status == OutboundStatus.SENT and row.attempts == 2
    assert len(mail.outbox) == 1
