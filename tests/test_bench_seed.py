"""The benchmark desk (bench/seed.py) is only worth its figures if it looks like a desk the app
made: copied lives keep their shape, numbers, history and SLA projection, and the app goes on
working on the seeded data as on its own."""

from collections import Counter

import pytest
from django.db.models import Count

from tests.utils import perform_action
from wagtail_support import intake, lists
from wagtail_support.models import (
    Message,
    OutboundEmail,
    ReadMark,
    Ticket,
    TicketCounter,
    TicketEvent,
)
from wagtail_support.sla import clock, tracking
from wagtail_support.sla.policy import policy_for

# Outside a test transaction: the app sends its mail once a change commits, as in production.
pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
TICKETS = 120


def test_a_seeded_desk_looks_and_works_like_one_the_app_made(django_user_model):
    """One seeding for every check (seeding and flushing a transactional test are slow)."""
    from bench.seed import seed

    seed(TICKETS, seed_value=3, sources=("website",))
    desk = Ticket.objects.select_related("state", "source", "customer")
    first = list(desk.order_by("number").values_list("number", "subject", "priority"))
    has_the_shape_of_a_real_one(desk)
    numbers_follow_creation_and_the_counter_goes_on_from_them(desk)
    copied_text_and_times_are_the_copys_own(desk)
    the_sla_projection_is_what_the_clock_computes_for_the_copys_times(desk)
    every_search_document_holds_the_copys_own_words()
    every_state_rank_is_the_copys_own_states()
    the_app_keeps_working_on_the_seeded_desk(desk, django_user_model)
    # The same seed gives the same desk.
    Ticket.objects.all().delete()
    seed(TICKETS, seed_value=3, sources=("website",))
    assert list(desk.order_by("number").values_list("number", "subject", "priority")) == first


def has_the_shape_of_a_real_one(desk):
    assert desk.count() == TICKETS
    types = dict(desk.values_list("state__type").annotate(n=Count("pk")))
    assert types.get("closed", 0) > TICKETS * 0.4
    assert set(types) >= {"closed", "resolved", "waiting"}
    assert 0.65 < desk.exclude(assignee=None).count() / TICKETS < 0.95
    assert desk.values("customer").distinct().count() > 30
    messages = Counter(Message.objects.values_list("ticket_id", flat=True))
    assert min(messages.values()) >= 3
    notes = Message.objects.filter(kind="note").values("ticket").distinct().count()
    assert 0.15 < notes / TICKETS < 0.6
    span = max(t.created_at for t in desk) - min(t.created_at for t in desk)
    assert span.days > 200
    # History, stored mail and read marks as the app writes them, for every ticket.
    assert TicketEvent.objects.values("ticket").distinct().count() == TICKETS
    assert OutboundEmail.objects.values("ticket").distinct().count() == TICKETS
    assert ReadMark.objects.values("ticket").distinct().count() == TICKETS


def numbers_follow_creation_and_the_counter_goes_on_from_them(desk):
    in_order = desk.order_by("created_at").values_list("number", flat=True)
    numbers = [int(number.removeprefix("WEB-")) for number in in_order]
    assert numbers == list(range(1, TICKETS + 1))
    assert TicketCounter.objects.get(prefix="WEB-").last_value == TICKETS


def copied_text_and_times_are_the_copys_own(desk):
    ticket = desk.order_by("-created_at")[10]
    mail = ticket.outbound_emails.order_by("created_at").first()
    assert ticket.number in mail.subject and ticket.subject in mail.subject
    assert mail.to == [ticket.customer.email]
    assert "Prototype" not in " ".join(Ticket.objects.values_list("subject", flat=True))
    first = ticket.messages.order_by("created_at").first()
    assert first.from_customer
    assert first.created_at - ticket.created_at < clock.dt.timedelta(seconds=5)
    events = list(ticket.events.order_by("created_at", "pk").values_list("created_at", flat=True))
    assert events == sorted(events) and events[0] >= ticket.created_at


def the_sla_projection_is_what_the_clock_computes_for_the_copys_times(desk):
    checked = 0
    for ticket in desk.exclude(first_response_minutes=None)[:40]:
        policy = policy_for(ticket)
        schedule = policy.schedule or clock.ROUND_THE_CLOCK
        pauses = tracking.load_pauses(ticket.sla_pauses)
        expected = tracking._minutes(schedule, ticket.created_at, ticket.first_response_at, pauses)
        assert ticket.first_response_minutes == expected
        if policy.targets.first_response is not None:
            breached = expected > policy.targets.first_response
            assert ticket.first_response_breached == breached
        checked += 1
    assert checked == 40


def every_search_document_holds_the_copys_own_words():
    """As the triggers of migration 0022 build it from the copy's subject, name and messages."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM wagtail_support_ticket WHERE search_document <> '' "
            "AND search_document = ws_ticket_document(id, subject, customer_name)"
        )
        assert cursor.fetchone()[0] == TICKETS


def every_state_rank_is_the_copys_own_states():
    """As the triggers of migration 0026 keep it: the sort order of the copy's own state."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM wagtail_support_ticket t JOIN wagtail_support_state s "
            "ON s.id = t.state_id WHERE t.state_rank = coalesce(s.sort_order, 0)"
        )
        assert cursor.fetchone()[0] == TICKETS


def the_app_keeps_working_on_the_seeded_desk(desk, django_user_model):
    agent = django_user_model.objects.get(username="agent01")
    ticket = desk.filter(state__type__in=("open", "new", "waiting")).first()
    before = ticket.messages.count()
    answered = perform_action(ticket, "note", agent, {"message": "Looked at it again."})
    assert answered.messages.count() == before + 1
    new = intake.receive(ticket.source, email="new@visitors.example", subject="Hi", text="Hello")
    assert new.ticket.number == f"WEB-{TICKETS + 1}"
    inbox = lists.desk_tickets(agent, "all")
    assert inbox.count() == TICKETS + 1
