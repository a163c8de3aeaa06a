"""intake.receive(): every channel's way in (R-IN1, R-IN2, R-WF8)."""

import threading

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError

from tests.utils import event_kinds, make_agent, make_user, new_ticket, reload
from wagtail_support import intake
from wagtail_support.models import Channel, Message, Source, State, Ticket, TicketEvent
from wagtail_support.models.history import entries

pytestmark = pytest.mark.django_db


def test_a_guest_request_gets_a_number_per_prefix_and_a_history():
    web, mail = Source.objects.get(slug="website"), Source.objects.get(slug="email")
    first = new_ticket(web, email="guest@example.net", name="Gus")
    second = new_ticket(web, email="guest@example.net")
    by_mail = new_ticket(mail, email="guest@example.net")
    assert (first.number, second.number, by_mail.number) == ("WEB-1", "WEB-2", "MAIL-1")
    assert first.customer is None and first.customer_name == "Gus"
    assert first.messages.get().channel == Channel.WEB and by_mail.messages.get().channel == "email"
    created = entries(TicketEvent.objects.filter(ticket=first, kind="created"))[0]
    assert created.actor is None and created.actor_email == "guest@example.net"
    assert created.data["unassigned"] is True


def test_the_source_sets_the_default_assignee_and_group():
    agent = make_agent("agent")
    group = Group.objects.create(name="Desk")
    source = Source.objects.get(slug="website")
    source.default_assignee, source.default_group = agent, group
    source.save()
    ticket = new_ticket(source, email="a@example.net")
    assert (ticket.assignee, ticket.assigned_group) == (agent, group)
    created = entries(TicketEvent.objects.filter(ticket=ticket, kind="created"))[0]
    assert created.data["unassigned"] is False


def test_a_phone_request_needs_only_a_subject_and_a_contact():
    agent = make_agent("agent")
    ticket = intake.receive(
        Source.objects.get(slug="phone"),
        subject="Call back",
        text="",
        email="x@example.net",
        entered_by=agent,
    ).ticket
    assert ticket.number == "TEL-1" and ticket.messages.get().channel == Channel.PHONE
    assert TicketEvent.objects.get(ticket=ticket, kind="created").actor == agent


def test_only_agents_enter_requests_for_others():
    with pytest.raises(ValidationError, match="Only agents"):
        new_ticket("phone", email="x@example.net", entered_by=make_user("someone"))


def test_missing_subject_and_contact_are_reported_together():
    with pytest.raises(ValidationError) as refused:
        intake.receive(Source.objects.get(slug="website"), subject="", text="")
    assert set(refused.value.message_dict) == {"subject", "email"}
    assert not Ticket.objects.exists()


def test_the_subject_falls_back_to_the_first_line():
    ticket = new_ticket(email="a@example.net", subject="", text="\n  My order is late\nmore")
    assert ticket.subject == "My order is late"


def test_a_disabled_source_takes_nothing():
    source = Source.objects.get(slug="website")
    source.enabled = False
    source.save()
    with pytest.raises(ValidationError, match="does not accept"):
        new_ticket(source, email="a@example.net")


def test_the_same_message_id_makes_one_message():
    first = intake.receive(
        Source.objects.get(slug="email"),
        email="a@example.net",
        subject="Hi",
        text="x",
        email_message_id="<abc@example.net>",
    )
    again = intake.receive(
        Source.objects.get(slug="email"),
        email="a@example.net",
        subject="Hi",
        text="x",
        email_message_id="<abc@example.net>",
    )
    assert again.duplicate and again.ticket == first.ticket and again.message == first.message
    assert Message.objects.count() == 1 and Ticket.objects.count() == 1


def test_a_customer_message_reopens_a_resolved_ticket_and_only_theirs():
    carol = make_user("carol")
    ticket = new_ticket(customer=carol)
    ticket.state = State.objects.get(workflow__slug="support", slug="resolved")
    ticket.save()
    with pytest.raises(ValidationError, match="Only the request's customer"):
        intake.receive(ticket.source, ticket=ticket, customer=make_user("eve"), text="Me too")
    assert reload(ticket).state.slug == "resolved"
    result = intake.receive(ticket.source, ticket=ticket, customer=carol, text="Still broken")
    assert not result.created and reload(ticket).state.slug == "reopened"
    assert event_kinds(ticket)[-2:] == ["message", "state"]


def test_a_guest_replies_by_address():
    ticket = new_ticket(email="Guest@Example.net")
    intake.receive(ticket.source, ticket=ticket, email="guest@example.net", text="More info")
    assert reload(ticket).messages.count() == 2


def test_html_from_outside_is_sanitised():
    ticket = new_ticket(
        email="a@example.net", html='<p onclick="x()">Hi<script>alert(1)</script></p>'
    )
    html = ticket.messages.get().html
    assert "Hi" in html and "script" not in html and "onclick" not in html


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_fifty_concurrent_creations_get_fifty_distinct_numbers():
    from django.db import connection

    source = Source.objects.get(slug="website")
    barrier = threading.Barrier(50)
    numbers, errors = [], []

    def create(i):
        try:
            barrier.wait(timeout=30)
            numbers.append(new_ticket(source, email=f"c{i}@example.net").number)
        except Exception as error:  # reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=create, args=(i,)) for i in range(50)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(numbers, key=lambda n: int(n.split("-")[1])) == [f"WEB-{i}" for i in range(1, 51)]
