"""Inbox search (wagtail_support/search.py): what a text finds, the capped count and its pages, and
on PostgreSQL the full-text document the triggers of migration 0022 keep for every ticket."""

import pytest
from django.db import connection
from django.urls import reverse

from tests.utils import admin_login, make_agent, make_user, new_ticket
from wagtail_support import search
from wagtail_support.models import Message, MessageKind, Priority, Ticket
from wagtail_support.paging import CappedPaginator
from wagtail_support.workflows.engine import perform

pytestmark = pytest.mark.django_db

INBOX = reverse("support_desk:inbox")


@pytest.fixture
def anna():
    return make_agent("anna", groups=["First line support"])


@pytest.fixture
def inbox(client, anna):
    admin_login(client, anna)

    def found(text, **params):
        response = client.get(INBOX, {"q": text, **params})
        assert response.status_code == 200
        return response

    return found


def numbers(response):
    return [ticket.number for ticket in response.context["object_list"]]


def found_subjects(response):
    return {ticket.subject for ticket in response.context["object_list"]}


def test_every_word_in_any_order_across_subject_customer_and_messages(inbox, anna):
    scanner = new_ticket(
        email="zora@example.net", name="Zora Quill", subject="Scanner jams", text="Fuser smells"
    )
    perform(scanner, scanner.workflow.actions.get(slug="note"), anna, {"message": "Toner low"})
    new_ticket(email="other@example.net", subject="Scanner is fine", text="Nothing smells")

    assert found_subjects(inbox("smells SCANNER jams")) == {"Scanner jams"}
    assert found_subjects(inbox("quill fuser")) == {"Scanner jams"}
    assert found_subjects(inbox("toner")) == {"Scanner jams"}  # internal notes: agents' own text
    assert found_subjects(inbox("scanner smells")) == {"Scanner jams", "Scanner is fine"}
    assert found_subjects(inbox("scanner elephant")) == set()


def test_the_last_word_may_be_the_beginning_of_one(inbox):
    new_ticket(email="a@example.net", subject="Refund", text="The parcel never arrived")
    assert found_subjects(inbox("parcel arr")) == {"Refund"}
    assert found_subjects(inbox("parcel arrivals")) == set()


@pytest.mark.postgres
def test_only_the_last_word_is_a_prefix(inbox):
    new_ticket(email="a@example.net", subject="Refund", text="The parcel never arrived")
    assert found_subjects(inbox("parc arrived")) == set()


def test_an_address_is_matched_as_text_in_the_customers_addresses_only(inbox):
    new_ticket(email="ann@example.org", subject="Login")
    new_ticket(email="bob@example.org", subject="Annual invoice", text="ann@example.org wrote")
    assert found_subjects(inbox("ann@")) == {"Login"}
    assert found_subjects(inbox("NN@EXAMPLE.O")) == {"Login"}


def test_the_account_as_it_is_now_and_the_number_in_any_case(inbox):
    carol = make_user("carol", email="carol@example.org")
    ticket = new_ticket(customer=carol, subject="Question")
    carol.email, carol.last_name = "carol.ledger@example.com", "Ledgerwood"
    carol.save()
    other = new_ticket(email="d@example.net", subject="Other")

    assert numbers(inbox("carol.ledger@")) == [ticket.number]
    assert numbers(inbox("ledgerwo")) == [ticket.number]
    assert numbers(inbox(other.number.lower())) == [other.number]
    assert numbers(inbox(other.number[:-1])) == []  # a number is matched whole


def test_a_search_keeps_the_list_its_filters_and_its_order(inbox, anna):
    low = new_ticket(email="a@example.net", subject="Printer low", priority=Priority.LOW)
    urgent = new_ticket(email="b@example.net", subject="Printer urgent", priority=Priority.URGENT)
    mine = new_ticket(email="c@example.net", subject="Printer mine")
    perform(mine, mine.workflow.actions.get(slug="take"), anna, {})
    new_ticket(email="d@example.net", subject="Printer spam", is_spam=True)

    assert numbers(inbox("printer")) == [urgent.number, mine.number, low.number]
    assert numbers(inbox("printer", ordering="-created_at")) == [
        mine.number,
        urgent.number,
        low.number,
    ]
    assert numbers(inbox("printer", list="mine")) == [mine.number]
    assert numbers(inbox("printer", priority=Priority.LOW)) == [low.number]


def test_the_count_stops_after_the_limit_and_the_pages_go_on_past_it(inbox, settings, monkeypatch):
    settings.WAGTAIL_SUPPORT_PAGE_SIZE = 2
    monkeypatch.setattr(CappedPaginator, "limit", 3)
    tickets = [new_ticket(email=f"{i}@example.net", subject=f"Router {i}") for i in range(5)]
    in_order = [ticket.number for ticket in tickets]  # all normal: oldest first

    first = inbox("router")
    assert numbers(first) == in_order[:2]
    html = first.content.decode()
    assert "More than 3 matches" in html and "There are" not in html
    assert "More than 3 tickets" in html
    assert first.context["page_obj"].has_next()
    second = inbox("router", p=2)
    assert numbers(second) == in_order[2:4]  # the fourth match, past the limit, is read too
    assert second.context["page_obj"].has_next()
    last = inbox("router", p=3)
    assert numbers(last) == in_order[4:]
    assert not last.context["page_obj"].has_next()
    assert last.context["page_obj"].has_previous()

    exact = inbox("router 1")
    assert numbers(exact) == [in_order[1]]
    assert "There is 1 match" in exact.content.decode()


def test_the_search_costs_the_same_queries_for_rare_and_common_words(inbox):
    from django.test.utils import CaptureQueriesContext

    for i in range(30):
        new_ticket(email=f"{i}@example.net", subject=f"Modem {i}", text="The modem blinks red")
    inbox("modem")  # warms the per-process caches
    counts = {}
    for text in ("modem", "modem 7", "blinks red"):
        with CaptureQueriesContext(connection) as captured:
            inbox(text)
        counts[text] = len(captured)
    assert len(set(counts.values())) == 1, counts


# The document and its triggers (PostgreSQL).


def document_is_whole(ticket):
    """The ticket's document holds exactly the words of its subject, customer name and
    messages, as one built from scratch would."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT search_document = ws_ticket_document(id, subject, customer_name) "
            "FROM wagtail_support_ticket WHERE id = %s",
            [ticket.pk],
        )
        return cursor.fetchone()[0]


def matches(text):
    return set(search.search(Ticket.objects.all(), text).values_list("subject", flat=True))


@pytest.mark.postgres
def test_the_document_follows_every_write_without_a_statement_of_its_own(anna):
    from django.test.utils import CaptureQueriesContext

    ticket = new_ticket(email="a@example.net", subject="Modem", text="Blinks red")
    with CaptureQueriesContext(connection) as captured:
        perform(ticket, ticket.workflow.actions.get(slug="note"), anna, {"message": "Swap it"})
    assert not any("search_document" in query["sql"] for query in captured)
    assert matches("swap blinks modem") == {"Modem"}
    assert document_is_whole(ticket)

    Ticket.objects.filter(pk=ticket.pk).update(subject="Router", customer_name="Zed Quill")
    assert matches("modem") == set() and matches("router quill swap") == {"Router"}
    message = ticket.messages.get(text="Blinks red")
    Message.objects.filter(pk=message.pk).update(text="Flashes green")
    assert matches("blinks") == set() and matches("flashes") == {"Router"}
    message.delete()
    assert matches("flashes") == set() and matches("swap") == {"Router"}
    assert document_is_whole(ticket)


@pytest.mark.postgres
def test_many_messages_in_one_statement_reach_each_ticket(anna):
    first = new_ticket(email="a@example.net", subject="First")
    second = new_ticket(email="b@example.net", subject="Second")
    Message.objects.bulk_create(
        Message(ticket=ticket, kind=MessageKind.NOTE, channel="admin", text=text)
        for ticket, text in [(first, "alpha"), (second, "beta"), (first, "gamma")]
    )
    assert matches("alpha gamma") == {"First"} and matches("beta") == {"Second"}
    assert document_is_whole(first) and document_is_whole(second)


@pytest.mark.postgres
def test_a_document_that_would_pass_the_limit_keeps_what_it_has(anna):
    ticket = new_ticket(email="a@example.net", subject="Logs")
    # Each text holds some 180,000 bytes of words of its own; a tsvector holds at most 1 MB.
    for n in range(7):
        text = " ".join(f"w{n}x{i:07d}" for i in range(18_000))
        Message.objects.create(ticket=ticket, kind=MessageKind.NOTE, channel="admin", text=text)
    assert ticket.messages.count() == 8  # the first one and the seven
    assert matches("w0x0000001") == {"Logs"}
    assert matches("w6x0000001") == set()


@pytest.mark.postgres
def test_the_condition_holds_inside_a_subquery():
    new_ticket(email="a@example.net", subject="Modem", text="Blinks red")
    new_ticket(email="b@example.net", subject="Router", text="Works")
    inner = search.search(Ticket.objects.all(), "blinks").values("pk")
    assert list(Ticket.objects.filter(pk__in=inner).values_list("subject", flat=True)) == ["Modem"]


# What a text finds among customers and rare words is resolved into ids once per request
# (PostgreSQL): the same tickets through ids as through the conditions they stand for.


def page_sql(inbox, text):
    """The response, and the condition its count and page query the tickets by."""
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        response = inbox(text)
    (count,) = [q["sql"] for q in captured if q["sql"].startswith("SELECT COUNT(*) FROM (")]
    return response, count


@pytest.mark.postgres
def test_a_rare_word_is_found_through_its_ids_and_a_common_one_through_the_document(
    inbox, monkeypatch
):
    monkeypatch.setattr(search, "RARE", 2)
    for i in range(4):
        new_ticket(email=f"{i}@example.net", subject=f"Modem {i}", text="The modem blinks")
    zebra = new_ticket(email="z@example.net", subject="Modem", text="A zebra modem blinks")
    new_ticket(email="y@example.net", subject="Zebra crossing", text="Nothing else")

    rare, sql = page_sql(inbox, "zebra modem")
    assert numbers(rare) == [zebra.number]
    assert '"id" IN (' in sql and "search_document @@" in sql  # the ids, still every word
    assert len(numbers(inbox("zebra"))) == 2

    common, sql = page_sql(inbox, "modem blinks")
    assert len(numbers(common)) == 5
    assert '"id" IN (' not in sql and "search_document @@" in sql
    nowhere, sql = page_sql(inbox, "quagga")
    assert numbers(nowhere) == [] and "search_document" not in sql


@pytest.mark.postgres
def test_an_address_part_of_many_tickets_stays_a_condition_past_the_cap(inbox, monkeypatch):
    monkeypatch.setattr(search, "MAX_IDS", 2)
    shared = [new_ticket(email=f"c{i}@shared.example", subject=f"Hi {i}") for i in range(3)]
    alone = new_ticket(email="someone@alone.example", subject="Hello")
    account = make_user("kim", email="kim@shared.example")
    kims = new_ticket(customer=account, subject="From an account")

    many, sql = page_sql(inbox, "shared.example")
    assert set(numbers(many)) == {ticket.number for ticket in [*shared, kims]}
    assert 'UPPER("wagtail_support_ticket"."customer_email"::text) LIKE' in sql
    one, sql = page_sql(inbox, "alone.exam")
    assert numbers(one) == [alone.number]
    assert "customer_email" not in sql  # its ids, read once before
