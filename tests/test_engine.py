"""The workflow engine: a ticket taken through every default action, and what it refuses."""

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.test import override_settings

from tests.utils import event_kinds, make_agent, make_user, new_ticket, reload, upload
from wagtail_support import access, intake
from wagtail_support.models import (
    Attachment,
    Category,
    Complexity,
    Kind,
    Message,
    MessageKind,
    Priority,
    TicketEvent,
)
from wagtail_support.models.history import entries
from wagtail_support.signals import ticket_changed
from wagtail_support.workflows.engine import (
    ActionNotAllowed,
    InvalidActionData,
    TicketChanged,
    perform,
)

pytestmark = pytest.mark.django_db


def act(ticket, slug, actor, data=None, **kwargs):
    action = ticket.workflow.actions.get(slug=slug)
    return perform(reload(ticket), action, actor, data, **kwargs).ticket


@pytest.fixture
def people():
    return {
        "anna": make_agent("anna", groups=["First line support"]),
        "boris": make_agent("boris", groups=["Technical department"]),
        "admin": make_user("admin", superuser=True),
        "carol": make_user("carol"),
    }


def test_a_ticket_goes_from_new_to_closed_through_every_default_action(people):
    anna, boris, admin, carol = (people[k] for k in ("anna", "boris", "admin", "carol"))
    technical = Group.objects.get(name="Technical department")
    payment = Category.objects.get(slug="payment")

    ticket = new_ticket(customer=carol)
    assert ticket.state.slug == "new" and ticket.number.startswith("WEB-")
    assert event_kinds(ticket) == ["created", "message"]

    ticket = act(ticket, "take", anna)
    assert ticket.assignee == anna
    ticket = act(ticket, "note", anna, {"message": "Looks like the fuser."})
    assert ticket.messages.get(kind=MessageKind.NOTE).text == "Looks like the fuser."
    ticket = act(ticket, "assign", anna, {"assign_user": boris.pk})
    assert ticket.assignee == boris
    ticket = act(ticket, "forward", boris, {"assign_group": technical.pk, "message": "Yours."})
    assert (ticket.assignee, ticket.assigned_group) == (None, technical)
    ticket = act(
        ticket,
        "details",
        boris,
        {"category": payment.pk, "priority": Priority.URGENT, "complexity": 3, "kind": "incident"},
    )
    assert (ticket.category, ticket.priority, ticket.complexity, ticket.kind) == (
        payment,
        Priority.URGENT,
        Complexity.COMPLEX,
        Kind.INCIDENT,
    )
    ticket = act(ticket, "reply", boris, {"message": "We are on it."})
    assert ticket.state.slug == "in-progress" and ticket.first_response_at is not None
    ticket = act(ticket, "ask", boris, {"message": "Which model is it?"})
    assert ticket.state.slug == "waiting"

    intake.receive(ticket.source, ticket=ticket, customer=carol, text="A LaserJet 4.")
    ticket = reload(ticket)
    assert ticket.state.slug == "in-progress"  # the customer's answer restarts the work

    ticket = act(ticket, "resolve", boris, {"resolution": "Fixed", "message": "Replaced it."})
    assert ticket.state.slug == "resolved" and ticket.resolved_at is not None
    assert ticket.custom_fields == {"resolution": "Fixed"}

    intake.receive(ticket.source, ticket=ticket, customer=carol, text="It burns again!")
    ticket = reload(ticket)
    assert ticket.state.slug == "reopened" and ticket.resolved_at is None

    ticket = act(ticket, "close", boris, {"close_reason": "Duplicate"})
    assert ticket.state.slug == "closed" and ticket.closed_at is not None
    ticket = act(ticket, "reopen", carol, {"message": "Not a duplicate."})
    assert ticket.state.slug == "reopened" and ticket.closed_at is None
    ticket = act(ticket, "close-mine", carol, {"message": "Bought a new one."})
    assert ticket.state.slug == "closed"
    ticket = act(ticket, "delete", admin, {"message": "Test data."})
    assert ticket.deleted_at is not None
    assert not access.visible_tickets(admin).filter(pk=ticket.pk).exists()
    assert not access.visible_tickets(carol, as_customer=True).filter(pk=ticket.pk).exists()

    history = entries(TicketEvent.objects.filter(ticket=ticket).select_related("message"))
    actions = [e.data["action"] for e in history if e.kind == "action"]
    assert actions == [
        "take", "note", "assign", "forward", "details", "reply", "ask",
        "resolve", "close", "reopen", "close-mine", "delete",
    ]  # fmt: skip
    states = [(e.data["old"]["slug"], e.data["new"]["slug"]) for e in history if e.kind == "state"]
    assert states == [
        ("new", "in-progress"),
        ("in-progress", "waiting"),
        ("waiting", "in-progress"),
        ("in-progress", "resolved"),
        ("resolved", "reopened"),
        ("reopened", "closed"),
        ("closed", "reopened"),
        ("reopened", "closed"),
    ]
    fields = {e.data["field"]: (e.data["old"], e.data["new"]) for e in history if e.kind == "field"}
    assert fields["priority"] == (Priority.NORMAL, Priority.URGENT)
    assert fields["category"] == (None, {"id": payment.pk, "label": "Payment"})
    assert fields["resolution"] == (None, "Fixed")
    assignments = [e.data["new"] for e in history if e.kind == "assignment"]
    assert [a["user"] and a["user"]["id"] for a in assignments] == [anna.pk, boris.pk, None]
    assert assignments[-1]["group"]["id"] == technical.pk
    # One version per operation: creation and each action or customer message.
    assert ticket.version == 1 + len({e.operation for e in history})


def test_every_change_of_one_action_shares_its_operation(people):
    ticket = new_ticket(customer=people["carol"])
    act(ticket, "resolve", people["anna"], {"resolution": "Answered", "message": "Done."})
    last = TicketEvent.objects.filter(ticket=ticket).last()
    events = entries(TicketEvent.objects.filter(ticket=ticket, operation=last.operation))
    assert sorted(e.kind for e in events) == ["action", "field", "message", "state"]
    assert all(e.actor == people["anna"] for e in events)


def test_a_stale_version_is_refused_and_changes_nothing(people):
    ticket = new_ticket(customer=people["carol"])
    seen = ticket.version
    act(ticket, "take", people["anna"], expected_version=seen)
    before = TicketEvent.objects.count()
    with pytest.raises(TicketChanged, match="Someone else changed ticket"):
        act(ticket, "reply", people["boris"], {"message": "Hi"}, expected_version=seen)
    assert TicketEvent.objects.count() == before
    assert not Message.objects.filter(text="Hi").exists()
    assert reload(ticket).state.slug == "new"
    with pytest.raises(TicketChanged):
        act(ticket, "reply", people["boris"], {"message": "Hi"}, expected_version="2; drop")


def test_invalid_data_is_refused_with_field_errors_and_nothing_is_written(people):
    ticket = new_ticket(customer=people["carol"])
    before = TicketEvent.objects.count()
    with pytest.raises(InvalidActionData) as refused:
        act(ticket, "resolve", people["anna"], {"resolution": "Because"})
    assert "resolution" in refused.value.errors
    with pytest.raises(InvalidActionData) as refused:
        act(ticket, "reply", people["anna"], {"message": "   "})
    assert "message" in refused.value.errors
    assert TicketEvent.objects.count() == before
    assert reload(ticket).version == ticket.version


def test_an_action_not_offered_in_the_state_is_refused(people):
    ticket = new_ticket(customer=people["carol"])
    with pytest.raises(ActionNotAllowed, match="not available while the ticket is 'New'"):
        act(ticket, "reopen", people["anna"])


def test_a_customer_can_never_write_an_internal_note(people):
    """Even if a site lets customers perform an action configured to write notes."""
    ticket = new_ticket(customer=people["carol"])
    close_mine = ticket.workflow.actions.get(slug="close-mine")
    close_mine.writes = "note"
    close_mine.save()
    act(ticket, "close-mine", people["carol"], {"message": "Bye"})
    assert Message.objects.get(text="Bye").kind == MessageKind.REPLY


def test_the_signal_goes_out_after_the_commit_with_the_events(
    people, django_capture_on_commit_callbacks
):
    received = []

    def listener(sender, ticket, events, actor, **kwargs):
        received.append((ticket.pk, [e.kind for e in events], actor))

    ticket_changed.connect(listener)
    try:
        ticket = new_ticket(customer=people["carol"])
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            act(ticket, "take", people["anna"])
            assert received == []
        for callback in callbacks:
            callback()
    finally:
        ticket_changed.disconnect(listener)
    assert received == [(ticket.pk, ["action", "assignment"], people["anna"])]


def test_a_refused_action_sends_no_signal(people, django_capture_on_commit_callbacks):
    ticket = new_ticket(customer=people["carol"])
    with django_capture_on_commit_callbacks() as callbacks, pytest.raises(ActionNotAllowed):
        act(ticket, "delete", people["anna"])
    assert callbacks == []


def test_round_robin_hands_tickets_to_the_group_in_turn(people):
    ana, ben, cy = (make_agent(n, groups=["Billing"]) for n in ("ana", "ben", "cy"))
    billing = Group.objects.get(name="Billing")
    ticket = new_ticket(customer=people["carol"])
    take = ticket.workflow.actions.get(slug="take")
    take.assignment, take.assign_group = "round_robin", billing
    take.save()
    got = [
        act(new_ticket(customer=people["carol"]), "take", people["anna"]).assignee for _ in "1234"
    ]
    assert got == [ana, ben, cy, ana]


class TestAttachments:
    @override_settings(WAGTAIL_SUPPORT_ATTACHMENT_MAX_COUNT=2)
    def test_the_count_limit_covers_the_whole_ticket(self, people):
        ticket = new_ticket(customer=people["carol"], files=[upload("a.txt")])
        act(ticket, "note", people["anna"], {"message": "one more"}, files=[upload("b.txt")])
        with pytest.raises(ValidationError, match="at most 2 files"):
            act(ticket, "note", people["anna"], {"message": "too many"}, files=[upload("c.txt")])
        assert Attachment.objects.filter(ticket=ticket).count() == 2
        assert not Message.objects.filter(text="too many").exists()

    @override_settings(WAGTAIL_SUPPORT_ATTACHMENT_MAX_SIZE=100)
    def test_a_file_over_the_size_limit_is_named_and_nothing_is_kept(self, people):
        with pytest.raises(ValidationError, match=r"“big\.pdf” is 101"):
            new_ticket(customer=people["carol"], files=[upload("big.pdf", size=101)])
        assert not Message.objects.exists() and not Attachment.objects.exists()

    def test_stored_names_are_random_and_under_the_ticket(self, people):
        ticket = new_ticket(customer=people["carol"], files=[upload("Raport końcowy (v2).PDF")])
        attachment = Attachment.objects.get(ticket=ticket)
        assert attachment.original_name == "Raport końcowy (v2).PDF"
        assert attachment.size == 10 and attachment.content_type == "text/plain"
        folder, name = attachment.file.name.rsplit("/", 1)
        assert folder == f"support/{ticket.pk}"
        assert name.endswith(".pdf") and "Raport" not in name and len(name) > 20


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_agents_acting_at_the_same_moment_one_wins_the_other_is_told():
    import threading

    from django.db import connection

    anna, boris = make_agent("anna"), make_agent("boris")
    ticket = new_ticket(email="c@example.net")
    loaded = reload(ticket)  # both agents opened the ticket at this version
    barrier = threading.Barrier(2)
    outcomes = {}

    def agent_acts(agent, slug, data):
        try:
            barrier.wait(timeout=30)
            action = loaded.workflow.actions.get(slug=slug)
            perform(loaded, action, agent, data, expected_version=loaded.version)
            outcomes[agent.username] = "won"
        except TicketChanged as refused:
            outcomes[agent.username] = str(refused)
        except Exception as error:  # reported by the assertions below
            outcomes[agent.username] = repr(error)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=agent_acts, args=(anna, "reply", {"message": "From Anna"})),
        threading.Thread(target=agent_acts, args=(boris, "ask", {"message": "From Boris"})),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes.values(), key=len)[0] == "won"
    loser = next(name for name, outcome in outcomes.items() if outcome != "won")
    assert "Someone else changed ticket" in outcomes[loser]
    assert reload(ticket).version == loaded.version + 1
    assert Message.objects.filter(text__startswith="From").count() == 1
