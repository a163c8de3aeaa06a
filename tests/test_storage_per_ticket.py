"""What one ticket life (tests/ticket_life.py) writes, table by table: a change that doubles the
history or the stored mail of an ordinary ticket fails here, whatever it was meant to do. The
figures are what the bench seeder writes per ticket (docs of the handback, bench/seed.py)."""

from collections import Counter

import pytest
from django.apps import apps

from tests.mail_backends import TEST_BACKEND, use_backend
from tests.ticket_life import live, setup_desk
from wagtail_support.models import OutboundEmail, TicketEvent
from wagtail_support.models.history import entries

pytestmark = pytest.mark.django_db

COUNTED = [
    "Ticket",
    "Message",
    "TicketEvent",
    "OutboundEmail",
    "InboundEmail",
    "Follow",
    "ReadMark",
    "Participant",
    "SlaNotice",
    "Attachment",
]


def rows():
    models = apps.get_app_config("wagtail_support")
    return {name: models.get_model(name).objects.count() for name in COUNTED}


def test_a_life_with_the_customers_e_mail_reply(clock, settings):
    use_backend(settings, TEST_BACKEND)
    agents = setup_desk()
    before = rows()
    ticket = live(clock, note=False, agents=agents)
    written = {name: count - before[name] for name, count in rows().items()}
    assert ticket.state.slug == "closed"
    assert written == {
        "Ticket": 1,
        "Message": 4,  # the request, the answer, the customer's e-mail, the resolution
        # 18 changes: messages, SLA figures and an action's changes ride on its operation's row
        "TicketEvent": 7,
        "OutboundEmail": 9,
        "InboundEmail": 1,
        "Follow": 1,
        "ReadMark": 1,
        "Participant": 0,
        "SlaNotice": 0,
        "Attachment": 0,
    }
    assert stored_kinds(ticket) == {
        "created": 1,  # carries the request
        "message": 1,  # the customer's e-mail: no action of theirs to carry it
        # take, reply, resolve, auto-close: with their assignment, 3 states and field; the reply
        # and the resolution carry their messages
        "action": 4,
        "follow": 1,
    }
    assert event_kinds(ticket) == {
        "created": 1,
        "message": 4,
        "action": 4,  # take, reply, resolve, auto-close
        "assignment": 1,
        "follow": 1,
        "state": 3,  # new → in progress → resolved → closed
        "field": 1,  # the resolution, a custom field of the Resolve action
        "sla": 3,  # first response, next response and resolution achieved
    }
    # Achieved figures are stored as [target, minutes, target minutes], read back whole.
    stored = [
        f for row in TicketEvent.objects.filter(ticket=ticket) for f in row.data.get("sla", ())
    ]
    assert [figure[0] for figure in stored] == ["first_response", "next_response", "resolution"]
    assert mail(ticket) == {
        ("confirmation", "customer"): 1,
        ("notification", "customer"): 3,  # two public answers, the closing
        ("notification", "follower"): 4,  # the answer, the e-mail, the resolution, the closing
        ("notification", "assignee"): 1,  # the customer wrote
    }


def test_a_life_with_an_internal_note(clock, settings):
    use_backend(settings, TEST_BACKEND)
    agents = setup_desk()
    before = rows()
    ticket = live(clock, note=True, agents=agents)
    written = {name: count - before[name] for name, count in rows().items()}
    assert (written["TicketEvent"], written["OutboundEmail"], written["InboundEmail"]) == (7, 8, 0)
    kinds = event_kinds(ticket)
    assert (kinds["note"], kinds["message"], kinds["action"], kinds["sla"]) == (1, 3, 5, 2)
    # The follower hears of the note instead of the e-mail; the assignee wrote it.
    assert mail(ticket) == {
        ("confirmation", "customer"): 1,
        ("notification", "customer"): 3,
        ("notification", "follower"): 4,
    }


def test_message_events_hold_nothing_their_message_holds(clock, settings):
    use_backend(settings, TEST_BACKEND)
    ticket = live(clock, note=True)
    data = [(e.kind, e.data) for e in history(ticket) if e.kind in ("message", "note")]
    customer, agent = {"from_customer": True}, {}
    assert data == [("message", customer), ("message", agent), ("note", {}), ("message", agent)]


def history(ticket):
    return entries(TicketEvent.objects.filter(ticket=ticket).select_related("message"))


def event_kinds(ticket):
    """One per change, as the ticket page shows them."""
    return dict(Counter(event.kind for event in history(ticket)))


def stored_kinds(ticket):
    return dict(Counter(TicketEvent.objects.filter(ticket=ticket).values_list("kind", flat=True)))


def mail(ticket):
    def role(address):
        if address.startswith("customer"):
            return "customer"
        return "assignee" if address.startswith("life-anna") else "follower"

    return dict(
        Counter((row.kind, role(row.to[0])) for row in OutboundEmail.objects.filter(ticket=ticket))
    )


def test_only_a_pause_of_an_open_ticket_writes_clock_events(clock):
    from tests.sla_utils import make_level
    from tests.utils import make_agent, make_user, new_ticket
    from tests.utils import perform_action as act

    make_level("Standard", first=240, next_=480, resolution=2880)
    anna, carol = make_agent("anna"), make_user("carol")
    ticket = new_ticket(customer=carol)
    ticket = act(ticket, "ask", anna, {"message": "Which model?"})  # Waiting: paused
    ticket = act(ticket, "reply", anna, {"message": "Found it."})  # In progress: resumed
    ticket = act(ticket, "resolve", anna, {"message": "Done.", "resolution": "Fixed"})
    ticket = act(ticket, "reopen", carol, {"message": "Not quite."})
    clocks = [e.data["clock"] for e in history(ticket) if e.kind == "sla" and "clock" in e.data]
    assert clocks == ["paused", "resumed"]
    # The clocks did stop while it was resolved: the pause is on the ticket for reports.
    assert len(ticket.sla_pauses) == 2 and ticket.sla_pauses[-1][1] is not None


def test_what_is_stored_densely_reads_back_change_by_change(django_capture_on_commit_callbacks):
    """``packed`` (what TicketChange writes) and ``entries`` (what every reader gets) are
    inverses: the events an operation signalled are the ones read back from its rows."""
    from tests.utils import make_agent, new_ticket
    from tests.utils import perform_action as act
    from wagtail_support.signals import ticket_changed

    signalled = []

    def keep(sender, events, **kwargs):
        signalled.extend((e.kind, e.data, e.actor_id) for e in events)

    ticket_changed.connect(keep)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            ticket = new_ticket(email="ann@example.net")
            ticket = act(ticket, "reply", make_agent("anna"), {"message": "On its way."})
    finally:
        ticket_changed.disconnect(keep)
    read = [(e.kind, e.data, e.actor_id) for e in history(ticket)]
    assert read == signalled and [kind for kind, *_ in read].count("message") == 2
    assert TicketEvent.objects.filter(ticket=ticket).count() < len(read)
    assert all("sla" not in e.data for e in history(ticket))


RESOLVED = ["resolved", "Resolved"]  # the type, "resolved" too, is left out


def test_history_rows_store_no_value_a_reader_can_take_as_given():
    """New rows are compacted; rows written whole before 0026 read back the same."""
    from tests.utils import make_agent, new_ticket
    from tests.utils import perform_action as act

    ticket = new_ticket(email="ann@example.net")
    anna = make_agent("anna")
    ticket = act(ticket, "take", anna, {})
    ticket = act(ticket, "resolve", anna, {"message": "Done.", "resolution": "Fixed"})
    stored = {}
    for row in TicketEvent.objects.filter(ticket=ticket):
        stored.setdefault(row.kind, []).append(row.data)
    assert stored.keys() == {"created", "action"}  # the changes ride on their action's row
    assert stored["created"] == [{"source": "website", "channel": "web", "state": "new"}]
    take, resolve = stored["action"]
    assigned = {"new": {"user": {"id": anna.pk, "label": "anna"}}}
    assert take == {"name": "Take", "action": "take", "changes": [["assignment", assigned]]}
    assert resolve["changes"] == [
        ["field", {"field": "resolution", "custom": True, "new": "Fixed"}],
        ["state", {"old": ["new", "New"], "new": RESOLVED}],
    ]

    read = [(e.kind, e.data) for e in history(ticket)]
    whole = [
        TicketEvent(ticket=ticket, kind=kind, data=data, operation=n)
        for n, (kind, data) in enumerate(read)
        if kind != "message"
    ]
    assert [(e.kind, e.data) for e in entries(whole)] == [x for x in read if x[0] != "message"]
    created = next(data for kind, data in read if kind == "created")
    assert created["unassigned"] is True and created["spam"] is False
    assert created["assignee"] is None and created["entered_by"] is None


def test_an_outbound_message_id_is_unique_and_found_by_its_digest():
    from django.db import IntegrityError, transaction

    from tests.utils import new_ticket

    ticket = new_ticket(email="ann@example.net")
    fields = {"ticket": ticket, "kind": "notification", "to": ["ann@example.net"]}
    sent = OutboundEmail.objects.create(email_message_id="ws.1.abc@example.com", **fields)
    OutboundEmail.objects.create(email_message_id="ws.1.abd@example.com", **fields)
    found = OutboundEmail.objects.with_message_ids("ws.1.abc@example.com", "elsewhere@example.org")
    assert list(found) == [sent]
    with pytest.raises(IntegrityError), transaction.atomic():
        OutboundEmail.objects.create(email_message_id="ws.1.abc@example.com", **fields)


@pytest.mark.postgres
def test_state_changes_are_counted_by_rows_as_docs_sla_shows():
    from django.db.models import Q

    from tests.utils import make_agent, new_ticket
    from tests.utils import perform_action as act

    anna = make_agent("anna")
    ticket = new_ticket(email="ann@example.net")
    ticket = act(ticket, "take", anna, {})  # assigns, the state stays
    ticket = act(ticket, "resolve", anna, {"message": "Done.", "resolution": "Fixed"})
    ticket = act(ticket, "reopen", anna, {"message": "Not quite."})
    rows = TicketEvent.objects.filter(Q(kind="state") | Q(data__changes__contains=[["state"]]))
    assert rows.count() == 2
    moves = [
        (e.data["old"]["slug"], e.data["new"]["slug"]) for e in entries(rows) if e.kind == "state"
    ]
    assert moves == [("new", "resolved"), ("resolved", "reopened")]


@pytest.mark.postgres
def test_no_ticket_index_is_the_beginning_of_a_wider_one():
    """An index on columns another index begins with serves nothing that one does not (a
    foreign key's look-ups and its PROTECT / SET NULL checks included) and costs every ticket
    its bytes. (In the same order: an order an index is read in is not served by another.)"""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT narrow.indexrelid::regclass::text, wide.indexrelid::regclass::text
            FROM pg_index narrow
            JOIN pg_class am_of ON am_of.oid = narrow.indexrelid
            JOIN pg_index wide ON wide.indrelid = narrow.indrelid
                AND wide.indexrelid <> narrow.indexrelid
            JOIN pg_class wide_of ON wide_of.oid = wide.indexrelid
            WHERE narrow.indrelid = 'wagtail_support_ticket'::regclass
                AND NOT narrow.indisunique AND narrow.indpred IS NULL
                AND narrow.indexprs IS NULL AND wide.indpred IS NULL
                AND wide_of.relam = am_of.relam
                AND (wide.indkey::int2[])[0:narrow.indnatts - 1]
                    = (narrow.indkey::int2[])[0:narrow.indnatts - 1]
                AND (wide.indoption::int2[])[0:narrow.indnatts - 1]
                    = (narrow.indoption::int2[])[0:narrow.indnatts - 1]
                AND wide.indnatts > narrow.indnatts
            """
        )
        covered = cursor.fetchall()
    assert covered == []


@pytest.mark.postgres
def test_a_message_id_is_unique_and_found_through_an_index_of_only_the_messages_with_one():
    from django.db import IntegrityError, connection, transaction

    from tests.utils import new_ticket
    from wagtail_support.models import Message, MessageKind

    ticket = new_ticket(email="a@example.net", subject="Printer")

    def message(message_id):
        return Message.objects.create(
            ticket=ticket, kind=MessageKind.REPLY, channel="email", email_message_id=message_id
        )

    message("one@example.net")
    message(None), message(None)  # many without one
    with pytest.raises(IntegrityError), transaction.atomic():
        message("one@example.net")
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_get_indexdef('ws_message_email_id_once'::regclass)")
        assert cursor.fetchone()[0].endswith("WHERE (email_message_id IS NOT NULL)")
        with transaction.atomic():  # a desk's table is large; the tests' is not
            cursor.execute("SET LOCAL enable_seqscan = off")
            lookup = Message.objects.filter(email_message_id__in=["one@example.net", "x@y"])
            assert "ws_message_email_id_once" in lookup.explain()
