"""Spam is not a dead end: "Spam" flags a ticket (optionally blocking its sender), "Not spam"
releases it with its held mail; on the ticket page and in bulk, for agents with
``wagtail_support.handle_spam``; the SLA clocks count from the arrival."""

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from tests.mail_backends import TEST_BACKEND, act, use_backend
from tests.mail_backends import mail_to as to
from tests.sla_utils import make_level
from tests.utils import admin_login, event_kinds, make_agent, make_user, new_ticket, reload
from wagtail_support import bulk, intake, spam_flags
from wagtail_support.lists import desk_tickets
from wagtail_support.models import BlockedSender, EventKind, Source, TicketEvent
from wagtail_support.sla import escalation
from wagtail_support.workflows.engine import WorkflowError

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _anymail(settings):
    use_backend(settings, TEST_BACKEND)


@pytest.fixture
def sam():
    return make_agent("sam", perms=("handle_spam",))


@pytest.fixture
def flagged(commit):
    with commit():
        ticket = new_ticket(email="gus@example.net", name="Gus", is_spam=True)
    return ticket


def spam_entries(ticket):
    return list(TicketEvent.objects.filter(ticket=ticket, kind=EventKind.SPAM).order_by("pk"))


def test_releasing_sends_the_held_confirmation_and_replies_once(flagged, sam, commit):
    assert to("gus@example.net") == []  # flagged on arrival: no confirmation
    act(flagged, "reply", sam, commit, message="Are you a person?")
    assert to("gus@example.net") == []  # held while flagged

    with commit():
        spam_flags.release(reload(flagged), sam)
    ticket = reload(flagged)
    assert not ticket.is_spam
    [entry] = spam_entries(ticket)
    assert entry.actor == sam and entry.data == {"old": True, "new": False}
    sent = to("gus@example.net")
    assert len(sent) == 2
    assert any(flagged.number in m.subject and "Are you a person?" in m.body for m in sent)

    # Flagged and released again: what went out does not go out twice.
    with commit():
        spam_flags.mark(reload(flagged), sam)
    with commit():
        spam_flags.release(reload(flagged), sam)
    assert len(to("gus@example.net")) == 2
    assert [e.data["new"] for e in spam_entries(ticket)] == [False, True, False]


def test_marking_spam_can_block_the_sender_and_is_recorded(sam, commit):
    with commit():
        ticket = new_ticket(email="Bot@Spam.example", name="Bot")
    spam_flags.mark(reload(ticket), sam, block_sender=True)
    ticket = reload(ticket)
    assert ticket.is_spam
    assert event_kinds(ticket)[-1] == EventKind.SPAM
    assert spam_entries(ticket)[-1].data == {
        "old": False,
        "new": True,
        "blocked": "bot@spam.example",
    }
    assert BlockedSender.objects.filter(pattern="bot@spam.example").exists()
    with pytest.raises(intake.SenderBlocked):
        new_ticket(email="bot@spam.example")
    # Only the spam list shows it now.
    assert list(desk_tickets(sam, "spam")) == [ticket]
    assert ticket not in desk_tickets(sam, "all")


def test_only_agents_with_the_permission_flag_or_release(flagged):
    anna = make_agent("anna")
    with pytest.raises(PermissionDenied):
        spam_flags.release(reload(flagged), anna)
    with pytest.raises(PermissionDenied):
        spam_flags.mark(new_ticket(email="x@example.net"), make_user("carol"))
    assert reload(flagged).is_spam and spam_entries(flagged) == []


def test_releasing_a_ticket_that_is_not_flagged_is_refused(sam):
    ticket = new_ticket(email="gus@example.net")
    with pytest.raises(WorkflowError, match="not marked as spam"):
        spam_flags.release(ticket, sam)
    with pytest.raises(WorkflowError, match="changed"):
        spam_flags.mark(ticket, sam, expected_version=ticket.version - 1)


def test_the_sla_clocks_count_from_the_arrival(clock, sam, commit):
    make_level(first=60)
    with commit():
        ticket = new_ticket(email="gus@example.net", is_spam=True)
    arrival = reload(ticket).created_at
    # The escalation scan leaves a flagged ticket alone and stops looking at it.
    clock.advance(minutes=90)
    escalation.scan()
    assert reload(ticket).sla_check_at is None
    with commit():
        spam_flags.release(reload(ticket), sam)
    released = reload(ticket)
    # Due an hour after the arrival, not an hour after the release: overdue at once.
    assert released.first_response_due == arrival + dt.timedelta(minutes=60) < clock.now
    assert released.sla_check_at is not None  # the scan looks at it again


def test_ticket_page_buttons_and_posts(client, flagged, sam):
    admin_login(client, sam)
    page = client.get(reverse("support_desk:ticket", args=[flagged.pk])).content.decode()
    assert reverse("wagtail_support_admin:not_spam", args=[flagged.pk]) in page
    assert "marked as spam" in page
    response = client.post(
        reverse("wagtail_support_admin:not_spam", args=[flagged.pk]),
        {"version": reload(flagged).version},
    )
    assert response.status_code == 302 and not reload(flagged).is_spam
    page = client.get(reverse("support_desk:ticket", args=[flagged.pk])).content.decode()
    assert "Also block the sender" in page
    client.post(
        reverse("wagtail_support_admin:spam", args=[flagged.pk]),
        {"version": reload(flagged).version, "block": "1"},
    )
    assert reload(flagged).is_spam
    assert BlockedSender.objects.filter(pattern="gus@example.net").exists()
    assert client.get(reverse("wagtail_support_admin:spam", args=[flagged.pk])).status_code == 405


def test_agents_without_the_permission_get_no_buttons_and_are_refused(client, flagged):
    anna = make_agent("anna")
    admin_login(client, anna)
    page = client.get(reverse("support_desk:ticket", args=[flagged.pk])).content.decode()
    assert reverse("wagtail_support_admin:not_spam", args=[flagged.pk]) not in page
    response = client.post(reverse("wagtail_support_admin:not_spam", args=[flagged.pk]))
    # Wagtail answers a PermissionDenied in its admin with a redirect to the dashboard.
    assert response.status_code in (302, 403) and response.get("Location") != reverse(
        "support_desk:ticket", args=[flagged.pk]
    )
    assert reload(flagged).is_spam and spam_entries(flagged) == []


def test_bulk_spam_and_release_are_all_or_nothing(sam, commit):
    with commit():
        a = new_ticket(email="a@example.net")
        b = new_ticket(email="b@example.net")
    assert bulk.run(sam, [a.pk, b.pk], "spam_block").done == [a.number, b.number]
    assert reload(a).is_spam and reload(b).is_spam
    assert BlockedSender.objects.filter(pattern__in=["a@example.net", "b@example.net"]).count() == 2
    c = new_ticket(Source.objects.get(slug="phone"), email="c@example.net", entered_by=sam)
    result = bulk.run(sam, [a.pk, c.pk], "not_spam")
    assert list(result.refused) == [c.number] and result.done == []
    assert reload(a).is_spam
    mail.outbox.clear()
    with commit():
        assert bulk.run(sam, [a.pk, b.pk], "not_spam").done == [a.number, b.number]
    assert not reload(a).is_spam and not reload(b).is_spam
    # Flagged after arrival: the confirmation went out then, and is not sent again.
    assert to("a@example.net") == []
    refused = bulk.run(make_agent("anna"), [a.pk], "spam")
    assert "may not" in refused.refused[a.number] and not reload(a).is_spam


def test_the_bulk_form_offers_spam_and_not_spam(client, sam):
    ticket = new_ticket(email="a@example.net")
    admin_login(client, sam)
    inbox = client.get(reverse("support_desk:inbox")).content.decode()
    assert 'value="not_spam"' in inbox and 'value="spam_block"' in inbox
    response = client.post(
        reverse("support_desk:bulk"), {"operation": "spam", "tickets": [ticket.pk]}, follow=True
    )
    assert f"Done: {ticket.number}" in response.content.decode()
    assert reload(ticket).is_spam
