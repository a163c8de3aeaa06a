"""Service levels on tickets: which level applies, due times in business hours, pauses, the
next-response clock after customer messages (portal and e-mail alike), reopening, and what was
achieved. The worked example of docs/sla.md is checked here figure by figure."""

import datetime as dt

import pytest
from django.contrib.auth.models import Group

from tests.sla_utils import make_level, office_schedule, warsaw
from tests.utils import make_agent, make_user, new_ticket, reload
from tests.utils import perform_action as act
from wagtail_support import intake
from wagtail_support.models import (
    Channel,
    EventKind,
    Priority,
    Service,
    ServiceLevelTarget,
    Source,
    TicketEvent,
)
from wagtail_support.models.history import entries

pytestmark = pytest.mark.django_db


def customer_writes(ticket, text="More details.", channel=Channel.WEB):
    intake.receive(
        ticket.source, ticket=reload(ticket), customer=ticket.customer, text=text, channel=channel
    )
    return reload(ticket)


def sla_events(ticket):
    rows = TicketEvent.objects.filter(ticket=ticket).select_related("message")
    return [e.data for e in entries(rows) if e.kind == EventKind.SLA]


@pytest.fixture
def people():
    return {"agent": make_agent("anna"), "customer": make_user("carol")}


# -- the worked example of docs/sla.md --------------------------------------------------------


def test_the_worked_example_of_the_docs(clock, people):
    schedule = office_schedule()
    make_level("Business", schedule=schedule, first=120, next_=240, resolution=960)
    agent, customer = people["agent"], people["customer"]

    # Tuesday 10 November, 16:30 in Warsaw; the 11th is a holiday.
    clock.set("2026-11-10 16:30")
    ticket = reload(new_ticket(customer=customer))
    assert ticket.service_level.name == "Business"
    assert ticket.first_response_due == warsaw("2026-11-12 10:30")
    assert ticket.resolution_due == warsaw("2026-11-13 16:30")
    assert ticket.next_response_due is None
    assert ticket.sla_due == ticket.first_response_due

    # Thursday 10:00: the agent answers and asks for details; Waiting for customer pauses.
    clock.set("2026-11-12 10:00")
    ticket = act(ticket, "ask", agent, {"message": "Which model is it?"})
    assert ticket.first_response_minutes == 90 and not ticket.first_response_breached
    assert (ticket.first_response_due, ticket.resolution_due, ticket.sla_due) == (None,) * 3

    # Monday 16 November, 11:00: the customer answers; the clocks run again.
    clock.set("2026-11-16 11:00")
    ticket = customer_writes(ticket)
    assert ticket.state.slug == "in-progress"
    # 90 minutes of the 960 ran before the pause: 870 remain from Monday 11:00.
    assert ticket.resolution_due == warsaw("2026-11-18 09:30")
    assert ticket.next_response_due == warsaw("2026-11-16 15:00")

    # Monday 16:00: answered an hour late.
    clock.set("2026-11-16 16:00")
    ticket = act(ticket, "reply", agent, {"message": "Replace the fuser."})
    assert ticket.next_response_breached and ticket.next_response_due is None

    # Tuesday 17 November, 12:00: resolved within target.
    clock.set("2026-11-17 12:00")
    ticket = act(ticket, "resolve", agent, {"resolution": "Fixed", "message": "Done."})
    assert ticket.resolution_minutes == 90 + 360 + 180 and not ticket.resolution_breached
    achieved = [
        (e["target"], e["minutes"], e["breached"]) for e in sla_events(ticket) if e.get("achieved")
    ]
    assert achieved == [
        ("first_response", 90, False),
        ("next_response", 300, True),
        ("resolution", 630, False),
    ]
    # Waiting for customer paused and resumed the clocks; resolving stops them, which its state
    # event and the resolution's figure record.
    pauses = [e["clock"] for e in sla_events(ticket) if "clock" in e]
    assert pauses == ["paused", "resumed"]
    assert ticket.sla_pauses[-1][1] is None


# -- which level applies ----------------------------------------------------------------------


def test_levels_are_tried_in_order_and_the_default_comes_last(clock, people):
    vip = Group.objects.create(name="VIP customers")
    people["customer"].groups.add(vip)
    make_level("Default", first=480)
    make_level("Urgent", first=30, default=False, order=2, priorities=[Priority.URGENT])
    make_level("VIP", first=60, default=False, order=1, customer_groups=[vip])
    make_level(
        "E-mail", first=240, default=False, order=3, sources=[Source.objects.get(slug="email")]
    )

    assert reload(new_ticket(customer=people["customer"])).service_level.name == "VIP"
    urgent = new_ticket(email="x@example.com", priority=Priority.URGENT)
    assert reload(urgent).service_level.name == "Urgent"
    by_mail = new_ticket("email", email="y@example.com")
    assert reload(by_mail).service_level.name == "E-mail"
    plain = reload(new_ticket(email="z@example.com"))
    assert plain.service_level.name == "Default"
    assert plain.first_response_due == clock.now + dt.timedelta(minutes=480)


def test_targets_per_priority_and_the_services_own_times(clock, people):
    level = make_level("Default", first=480, resolution=2400)
    ServiceLevelTarget.objects.create(
        level=level, priority=Priority.HIGH, first_response_minutes=60
    )
    high = reload(new_ticket(email="a@example.com", priority=Priority.HIGH))
    assert high.first_response_due == clock.now + dt.timedelta(minutes=60)
    assert high.resolution_due is None  # the priority's own row sets no resolution target

    service = Service.objects.create(name="Printers", reaction_minutes=15, resolution_minutes=120)
    ticket = new_ticket(email="b@example.com")
    ticket.service = service
    ticket.save()
    ticket = act(ticket, "take", people["agent"])
    assert ticket.first_response_due == ticket.created_at + dt.timedelta(minutes=15)
    assert ticket.resolution_due == ticket.created_at + dt.timedelta(minutes=120)


def test_without_any_level_no_clock_runs_but_response_times_are_kept(clock, people):
    ticket = reload(new_ticket(customer=people["customer"]))
    assert ticket.service_level is None and ticket.sla_due is None and ticket.sla_check_at is None
    clock.advance(minutes=42)
    ticket = act(ticket, "reply", people["agent"], {"message": "Hello"})
    assert ticket.first_response_minutes == 42
    assert sla_events(ticket) == []


# -- pauses, the next-response clock and reopening --------------------------------------------


def test_an_email_reply_restarts_next_response_like_a_portal_reply(clock, people):
    make_level("Round the clock", first=60, next_=30)
    customer, agent = people["customer"], people["agent"]
    ticket = new_ticket(customer=customer)
    ticket = act(ticket, "reply", agent, {"message": "First answer"})
    clock.advance(minutes=10)
    by_portal = customer_writes(ticket, channel=Channel.WEB)
    assert by_portal.next_response_due == clock.now + dt.timedelta(minutes=30)

    other = new_ticket(customer=customer)
    other = act(other, "reply", agent, {"message": "First answer"})
    clock.advance(minutes=10)
    by_mail = customer_writes(other, channel=Channel.EMAIL)
    assert by_mail.next_response_due == clock.now + dt.timedelta(minutes=30)
    # A second message before the answer does not move the clock: the first one waits longest.
    clock.advance(minutes=5)
    assert (
        customer_writes(other, channel=Channel.EMAIL).next_response_due == by_mail.next_response_due
    )


def test_internal_notes_do_not_answer_the_customer(clock, people):
    make_level("Round the clock", first=60)
    ticket = new_ticket(customer=people["customer"])
    clock.advance(minutes=20)
    ticket = act(ticket, "note", people["agent"], {"message": "Checking"})
    assert ticket.first_response_at is None and ticket.first_response_due is not None


def test_reopening_resumes_the_resolution_clock_without_the_resolved_time(clock, people):
    make_level("Round the clock", resolution=600)
    customer, agent = people["customer"], people["agent"]
    ticket = new_ticket(customer=customer)
    clock.advance(minutes=100)
    ticket = act(ticket, "resolve", agent, {"resolution": "Answered", "message": "Try this."})
    assert ticket.resolution_minutes == 100 and ticket.resolution_due is None

    clock.advance(days=2)
    ticket = customer_writes(ticket, "It did not help.")
    assert ticket.state.slug == "reopened" and ticket.resolution_minutes is None
    # 100 minutes ran before; the two resolved days don't count.
    assert ticket.resolution_due == clock.now + dt.timedelta(minutes=500)

    clock.advance(minutes=50)
    ticket = act(ticket, "resolve", agent, {"resolution": "Fixed", "message": "Fixed."})
    assert ticket.resolution_minutes == 150


def test_a_state_that_pauses_the_sla_stops_every_clock(clock, people):
    make_level("Round the clock", first=60, resolution=600)
    ticket = new_ticket(customer=people["customer"])
    ticket = act(ticket, "ask", people["agent"], {"message": "Serial number?"})
    assert ticket.sla_due is None and ticket.sla_check_at is None
    assert ticket.sla_pauses and ticket.sla_pauses[-1][1] is None


def test_an_action_sets_the_service_which_assigns_its_group_and_its_times(clock, people):
    from wagtail_support.models import ActionField, ServiceStatus
    from wagtail_support.workflows.models import FieldTarget

    make_level("Default", first=480)
    first_line = Group.objects.create(name="1st line support")
    printers = Service.objects.create(
        name="Printers", reaction_minutes=20, responsible_group=first_line
    )
    Service.objects.create(name="Fax", status=ServiceStatus.RETIRED)
    ticket = new_ticket(email="p@example.com")
    details = ticket.workflow.actions.get(slug="details")
    ActionField.objects.create(
        action=details,
        label="Service",
        key="service",
        field_type="choice",
        target=FieldTarget.SERVICE,
    )
    from wagtail_support.workflows.forms import ActionForm

    offered = ActionForm(details, ticket).fields["service"].queryset
    assert list(offered.values_list("name", flat=True)) == ["Printers"]

    ticket = act(
        ticket,
        "details",
        people["agent"],
        {"service": printers.pk, "priority": Priority.NORMAL, "kind": "incident"},
    )
    assert ticket.service == printers and ticket.assigned_group == first_line
    assert ticket.first_response_due == ticket.created_at + dt.timedelta(minutes=20)


def test_a_reply_by_email_through_the_inbound_pipeline_restarts_next_response(
    clock, people, commit
):
    """The whole path: our answer goes out by mail, the customer answers it from their mail
    client, the pipeline threads it by In-Reply-To, and the clock runs as for a portal reply."""
    from tests.mail import deliver, raw_mail
    from wagtail_support.models import OutboundEmail

    make_level("Round the clock", first=60, next_=45)
    ticket = deliver(raw_mail(subject="Where is my parcel?")).ticket
    clock.advance(minutes=20)
    with commit():
        act(ticket, "reply", people["agent"], {"message": "It left the warehouse."})
    ours = OutboundEmail.objects.get(ticket=ticket, kind="notification", to=["ann@example.net"])
    clock.advance(minutes=10)
    result = deliver(
        raw_mail(subject="Re: Where is my parcel?", in_reply_to=f"<{ours.email_message_id}>")
    )
    assert result.ticket == ticket and result.status == "processed"
    ticket = reload(ticket)
    assert ticket.first_response_minutes == 20
    assert ticket.next_response_due == clock.now + dt.timedelta(minutes=45)
