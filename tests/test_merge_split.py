"""Merge and split (issue 15, item 4): a duplicate's conversation moves to the ticket that
survives, and one message can leave for a ticket of its own."""

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.mail import deliver, raw_mail
from tests.utils import (
    admin_login,
    make_agent,
    make_user,
    new_ticket,
    perform_action,
    reload,
    upload,
)
from wagtail_support import merge, tracking
from wagtail_support.mail.addresses import reply_address
from wagtail_support.models import (
    Attachment,
    EventKind,
    Follow,
    Message,
    Participant,
    ReadMark,
    Ticket,
    TicketEvent,
)
from wagtail_support.models.history import entries
from wagtail_support.workflows.engine import TicketChanged
from wagtail_support.workflows.models import StateType

pytestmark = pytest.mark.django_db


@pytest.fixture
def merger():
    return make_agent("merger", perms=["merge_tickets"])


def fields(ticket):
    rows = TicketEvent.objects.filter(ticket=ticket).select_related("message")
    return {e.data["field"]: e.data for e in entries(rows) if e.kind == EventKind.FIELD}


def email_ticket(**kwargs):
    kwargs.setdefault("email", "ann@example.net")
    return new_ticket("email", **kwargs)


def test_merge_moves_the_conversation_and_closes_the_duplicate(merger):
    survivor = email_ticket(subject="Printer")
    duplicate = email_ticket(subject="Printer again", text="Still burning.", files=[upload()])
    Participant.objects.create(ticket=duplicate, email="bob@example.net", name="Bob")
    Participant.objects.create(ticket=survivor, email="cc@example.net")
    Participant.objects.create(ticket=duplicate, email="CC@example.net")
    watcher, both = make_agent("watcher"), make_agent("both")
    tracking.follow(duplicate, watcher)
    tracking.follow(duplicate, both)
    tracking.follow(survivor, both)
    tracking.mark_read(duplicate, watcher)
    moved = list(Message.objects.filter(ticket=duplicate).values_list("pk", flat=True))

    merge.merge(duplicate, survivor, merger)

    duplicate, survivor = reload(duplicate), reload(survivor)
    assert duplicate.merged_into == survivor
    assert duplicate.state.type == StateType.CLOSED
    assert set(moved) <= set(Message.objects.filter(ticket=survivor).values_list("pk", flat=True))
    assert not Message.objects.filter(ticket=duplicate).exists()
    assert Attachment.objects.filter(ticket=survivor).count() == 1
    assert not Attachment.objects.filter(ticket=duplicate).exists()
    emails = sorted(p.email.lower() for p in Participant.objects.filter(ticket=survivor))
    assert emails == ["bob@example.net", "cc@example.net"]
    followers = set(Follow.objects.filter(ticket=survivor).values_list("user__username", flat=True))
    assert followers == {"watcher", "both"}
    assert ReadMark.objects.filter(ticket=survivor, user=watcher).exists()
    # History on both, each naming the other.
    assert fields(duplicate)["merged_into"]["new"]["id"] == survivor.pk
    assert fields(survivor)["merged_from"]["new"]["id"] == duplicate.pk


def test_another_customers_duplicate_makes_them_a_participant(merger):
    survivor = email_ticket()
    duplicate = email_ticket(email="colleague@example.net")
    merge.merge(duplicate, survivor, merger)
    assert Participant.objects.filter(ticket=survivor, email="colleague@example.net").exists()


def test_later_mail_to_the_duplicate_lands_on_the_survivor(merger):
    survivor = email_ticket()
    duplicate = email_ticket()
    merge.merge(duplicate, survivor, merger)
    by_subject = deliver(raw_mail(subject=f"Re: [#{duplicate.number}] Printer"))
    assert by_subject.ticket == survivor
    by_token = deliver(raw_mail(to=reply_address(duplicate.pk, "support@example.com")))
    assert by_token.ticket == survivor
    assert reload(duplicate).state.type == StateType.CLOSED  # the duplicate stays closed


def test_mail_to_a_duplicate_whose_survivor_is_deleted_starts_a_new_ticket(merger):
    survivor, duplicate = email_ticket(), email_ticket()
    merge.merge(duplicate, survivor, merger)
    Ticket.objects.filter(pk=survivor.pk).update(deleted_at=timezone.now())
    result = deliver(raw_mail(subject=f"Re: [#{duplicate.number}] Printer"))
    assert result.ticket not in (survivor, duplicate)


def test_merge_needs_the_permission_and_sight_of_both_and_a_fresh_form(merger):
    survivor, duplicate = email_ticket(), email_ticket()
    with pytest.raises(merge.MergeRefused):
        merge.merge(duplicate, survivor, make_agent("plain"))
    with pytest.raises(merge.MergeRefused):
        merge.merge(duplicate, duplicate, merger)
    with pytest.raises(TicketChanged):
        merge.merge(duplicate, survivor, merger, expected_version=duplicate.version - 1)
    merge.merge(duplicate, survivor, merger)
    with pytest.raises(merge.MergeRefused):  # merged once: its conversation is elsewhere now
        merge.merge(duplicate, survivor, merger)
    assert not Message.objects.filter(ticket=duplicate).exists()


def test_merge_through_the_ticket_page(client, merger):
    survivor, duplicate = email_ticket(), email_ticket()
    admin_login(client, merger)
    page = client.get(reverse("support_desk:ticket", args=[duplicate.pk]))
    url = reverse("support_desk:ticket_merge", args=[duplicate.pk])
    assert url in page.content.decode()
    assert client.get(url).status_code == 200

    response = client.post(url, {"number": survivor.number.lower(), "version": duplicate.version})
    assert response.status_code == 302
    assert response["Location"] == reverse("support_desk:ticket", args=[survivor.pk])
    assert reload(duplicate).merged_into == survivor
    page = client.get(reverse("support_desk:ticket", args=[duplicate.pk])).content.decode()
    assert reverse("support_desk:ticket", args=[survivor.pk]) in page
    assert url not in page  # a merged ticket offers no second merge


def test_the_merge_control_is_refused_without_the_permission(client):
    survivor, duplicate = email_ticket(), email_ticket()
    admin_login(client, make_agent("plain"))
    url = reverse("support_desk:ticket_merge", args=[duplicate.pk])
    page = client.get(reverse("support_desk:ticket", args=[duplicate.pk]))
    assert url not in page.content.decode()
    response = client.post(url, {"number": survivor.number})
    assert response["Location"] == reverse("wagtailadmin_home")  # Wagtail's PermissionDenied
    assert reload(duplicate).merged_into is None


def test_split_moves_one_message_to_a_new_ticket(merger):
    customer = make_user("carol")
    ticket = new_ticket(customer=customer, subject="Two questions", files=[upload()])
    first = Message.objects.get(ticket=ticket)
    agent = make_agent("agent")
    perform_action(ticket, "take", agent)
    perform_action(ticket, "reply", agent, {"message": "About the first: done."})
    from wagtail_support import intake

    second = intake.receive(ticket.source, ticket=reload(ticket), customer=customer, text="And B?")
    new = merge.split(second.message, merger, subject="Question B")

    new = reload(new)
    assert (new.customer, new.source, new.subject) == (customer, ticket.source, "Question B")
    assert new.split_from == ticket and new.state.type == StateType.NEW
    assert new.assignee == agent  # the agent on the question keeps it
    assert list(Message.objects.filter(ticket=new)) == [second.message]
    assert Message.objects.filter(ticket=ticket).count() == 2
    assert Attachment.objects.get().ticket == ticket  # the first message's file stays
    assert new.awaiting_reply_since is not None  # the customer's question waits on the new one
    assert reload(ticket).awaiting_reply_since is None  # and no longer on the old one
    assert fields(new)["split_from"]["new"]["id"] == ticket.pk
    assert fields(ticket)["split_to"]["new"]["id"] == new.pk
    assert first.pk != second.message.pk


def test_split_refuses_the_only_message_and_internal_notes(merger):
    ticket = new_ticket(email="a@example.net")
    with pytest.raises(merge.MergeRefused):
        merge.split(Message.objects.get(ticket=ticket), merger)
    perform_action(ticket, "note", make_agent("agent"), {"message": "Internal."})
    note = Message.objects.get(ticket=ticket, kind="note")
    with pytest.raises(merge.MergeRefused):
        merge.split(note, merger)


def test_split_through_the_ticket_page(client, merger):
    ticket = new_ticket(email="a@example.net")
    perform_action(ticket, "reply", make_agent("agent"), {"message": "Answer."})
    message = Message.objects.filter(ticket=ticket).last()
    admin_login(client, merger)
    fragment = client.get(reverse("support_desk:ticket_merge", args=[ticket.pk])).content.decode()
    split_url = reverse("support_desk:ticket_split", args=[ticket.pk])
    assert split_url in fragment
    response = client.post(split_url, {"message": message.pk})
    message.refresh_from_db()
    assert message.ticket_id != ticket.pk
    assert response["Location"] == reverse("support_desk:ticket", args=[message.ticket_id])
    # Another ticket's message is not this ticket's to split.
    assert client.post(split_url, {"message": message.pk}).status_code == 404


def test_search_finds_the_survivor_by_the_moved_messages(client, merger):
    survivor = email_ticket(subject="Printer")
    duplicate = email_ticket(subject="Again", text="The toner smells of xylophones.")
    merge.merge(duplicate, survivor, merger)
    admin_login(client, merger)
    response = client.get(reverse("support_desk:inbox"), {"q": "xylophones"})
    assert [t.pk for t in response.context["object_list"]] == [survivor.pk]


def test_the_merge_panel_costs_the_same_queries_for_a_long_thread(client, merger):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    short, long = email_ticket(), email_ticket()
    for i in range(20):
        perform_action(long, "reply", merger, {"message": f"Answer {i}."})
    admin_login(client, merger)
    counts = []
    for ticket in (short, long):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("support_desk:ticket_merge", args=[ticket.pk]))
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
