"""What celery beat does for service levels: warnings and breach notices sent once per ticket and
target (even with two scans at once), auto-close after a state's waiting time, and the admins'
report of tickets nobody is responsible for."""

import datetime as dt

import pytest
from django.core import mail

from tests.sla_utils import make_level
from tests.utils import at_once, make_agent, make_user, new_ticket, reload
from tests.utils import perform_action as act
from wagtail_support.models import (
    EventKind,
    NoticeKind,
    OutboundEmail,
    SlaNotice,
    Source,
    TicketEvent,
)
from wagtail_support.sla import escalation

pytestmark = pytest.mark.django_db


@pytest.fixture
def committed(commit):
    """Runs a scan as beat would: its mail goes out once its transaction commits."""

    def run(function, *args, **kwargs):
        with commit():
            return function(*args, **kwargs)

    return run


@pytest.fixture
def desk(clock):
    make_level("Round the clock", first=60, resolution=600, warning=15)
    return {
        "agent": make_agent("anna"),
        "admin": make_user("root", superuser=True),
        "customer": make_user("carol"),
    }


def test_a_warning_then_a_breach_each_sent_once(clock, desk, committed):
    ticket = new_ticket(customer=desk["customer"])
    act(ticket, "take", desk["agent"])
    mail.outbox.clear()

    clock.advance(minutes=40)
    assert committed(escalation.scan) == []  # 20 minutes left: not yet in the 15-minute window

    clock.advance(minutes=6)
    sent = committed(escalation.scan)
    assert [(n.target, n.kind) for n in sent] == [("first_response", NoticeKind.WARNING)]
    assert [m.to for m in mail.outbox] == [["anna@example.com"]]
    assert "Warning: first response is due in 14 minutes" in mail.outbox[0].subject
    assert ticket.number in mail.outbox[0].subject
    assert mail.outbox[0].extra_headers["Auto-Submitted"] == "auto-generated"
    assert committed(escalation.scan) == []  # nothing new

    clock.advance(minutes=15)
    sent = committed(escalation.scan)
    assert [(n.target, n.kind) for n in sent] == [("first_response", NoticeKind.BREACH)]
    ticket = reload(ticket)
    assert ticket.first_response_breached
    # A breach also reaches the admins.
    assert sorted(m.to[0] for m in mail.outbox[1:]) == ["anna@example.com", "root@example.com"]
    assert committed(escalation.scan) == [] and len(mail.outbox) == 3
    notices = TicketEvent.objects.filter(ticket=ticket, kind=EventKind.SLA)
    assert [e.data.get("notice") for e in notices if "notice" in e.data] == ["warning", "breach"]
    recorded = OutboundEmail.objects.filter(ticket=ticket, kind="escalation", status="sent")
    assert recorded.count() == 3


def test_answering_in_time_cancels_what_was_pending(clock, desk):
    ticket = new_ticket(customer=desk["customer"])
    clock.advance(minutes=30)
    act(ticket, "reply", desk["agent"], {"message": "On it."})
    clock.advance(minutes=60)
    sent = escalation.scan()
    assert [n.target for n in sent] == []  # resolution is due in 9 hours; first response is done
    assert reload(ticket).sla_check_at == reload(ticket).resolution_due - dt.timedelta(minutes=15)


def test_a_ticket_nobody_checks_is_found_by_its_index_only_when_due(clock, desk):
    new_ticket(customer=desk["customer"])
    assert not escalation.tickets_to_check(clock.now).exists()
    clock.advance(minutes=45)
    assert escalation.tickets_to_check(clock.now).count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_scans_at_the_same_time_send_each_notice_once(clock, desk):
    tickets = [new_ticket(email=f"c{i}@example.com") for i in range(6)]
    clock.advance(minutes=70)
    mail.outbox.clear()
    results, errors = at_once(2, lambda: escalation.scan(now=clock.now))
    assert not errors
    sent = [n for result in results for n in result]
    assert len(sent) == len(tickets)  # one breach each, whoever sent it
    assert SlaNotice.objects.filter(kind=NoticeKind.BREACH).count() == len(tickets)
    # Unassigned tickets: the breach goes to the admins, once per ticket.
    assert len(mail.outbox) == len(tickets)


def test_unattended_tickets_are_reported_to_the_admins_once(clock, desk, committed):
    source = Source.objects.get(slug="website")
    assert source.default_assignee is None and source.default_group is None
    first = new_ticket(email="a@example.com")
    second = new_ticket(email="b@example.com")
    taken = new_ticket(email="c@example.com")
    act(taken, "take", desk["agent"])
    mail.outbox.clear()

    reported = committed(escalation.report_unattended)
    assert sorted(n.ticket.number for n in reported) == sorted([first.number, second.number])
    assert [m.to for m in mail.outbox] == [["root@example.com"]] * 2
    bodies = " ".join(m.body for m in mail.outbox)
    assert first.number in bodies and second.number in bodies and taken.number not in bodies
    assert committed(escalation.report_unattended) == [] and len(mail.outbox) == 2


def test_resolved_tickets_close_after_the_states_days_unless_the_customer_wrote(clock, desk):
    from wagtail_support import intake

    agent, customer = desk["agent"], desk["customer"]
    quiet = act(new_ticket(customer=customer), "resolve", agent, {"resolution": "Fixed"})
    talking = act(new_ticket(customer=customer), "resolve", agent, {"resolution": "Fixed"})
    assert quiet.state.auto_close_days == 7

    clock.advance(days=6)
    assert escalation.auto_close() == []
    intake.receive(talking.source, ticket=talking, customer=customer, text="Still broken")
    assert reload(talking).state.slug == "reopened"

    clock.advance(days=1, minutes=1)
    assert escalation.auto_close() == [quiet.pk]
    quiet = reload(quiet)
    assert quiet.state.slug == "closed" and quiet.closed_at == clock.now
    last_action = TicketEvent.objects.filter(ticket=quiet, kind=EventKind.ACTION).last()
    assert last_action.data["action"] == "auto-close" and last_action.actor is None
    assert reload(talking).state.slug == "reopened"


def test_cron_runs_the_same_periodic_work_without_celery(clock, desk, commit, capsys):
    from django.core.management import call_command

    ticket = new_ticket(customer=desk["customer"])
    act(ticket, "take", desk["agent"])
    clock.advance(minutes=61)
    with commit():
        call_command("support_periodic")
    assert "SLA notices: 1; unattended reported: 0; auto-closed: 0" in capsys.readouterr().out
    assert reload(ticket).first_response_breached
