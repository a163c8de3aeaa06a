"""The desk's cost does not grow with the desk: the same number of queries for the inbox and the
ticket page at two data sizes and two thread lengths, no DISTINCT on one-valued filters, search
and similar tickets through their own (indexed) queries. Timings are in bench/, not here."""

from types import SimpleNamespace

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.utils import admin_login, make_agent, make_user, new_ticket
from wagtail_support import kept, tracking
from wagtail_support.models import Priority, Source, State
from wagtail_support.workflows.engine import perform

pytestmark = pytest.mark.django_db

INBOX = reverse("support_desk:inbox")


@pytest.fixture
def desk(client, monkeypatch):
    """An ordinary agent (a group, no superuser, no right to every state), one restricted state,
    and a way to grow the desk."""
    # On a busy machine a minute can pass between a page's warm-up and its measured request;
    # the kept configuration's reload by age (once a minute, kept.py) is not what these counts
    # measure, and would add its queries to whichever page it fell on. Changes still reload it.
    monkeypatch.setattr(kept, "time", SimpleNamespace(monotonic=lambda: 0.0))
    anna = make_agent("anna", groups=["First line support"])
    restricted = State.objects.get(workflow__slug="support", slug="waiting")
    restricted.visible_to_groups.add(Group.objects.get_or_create(name="Accounting")[0])
    restricted.save()
    customers = [make_user(f"customer{i}") for i in range(3)]
    made = []

    def grow(count):
        for i in range(len(made), count):
            ticket = new_ticket(
                customer=customers[i % 3] if i % 4 else None,
                email="" if i % 4 else f"guest{i}@example.net",
                subject=f"Printer {i} prints blank pages",
                priority=(Priority.LOW, Priority.NORMAL, Priority.URGENT)[i % 3],
            )
            if i % 3 == 0:
                perform(ticket, ticket.workflow.actions.get(slug="take"), anna, {})
            if i % 5 == 0:
                tracking.follow(ticket, anna)
            made.append(ticket)
        return made

    admin_login(client, anna)
    return {"anna": anna, "grow": grow, "client": client, "restricted": restricted}


def queries(client, url):
    client.get(url)  # warms the per-process caches (site, permissions, SLA configuration)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


def inbox_urls(restricted):
    urls = [
        f"{INBOX}?list={key}"
        for key in (
            "all",
            "unread",
            "mine",
            "my-groups",
            "unassigned",
            "following",
            "overdue",
            "spam",
        )
    ]
    urls += [f"{INBOX}?view={mode}" for mode in ("table", "list", "board")]
    urls += [
        f"{INBOX}?ordering={key}"
        for key in (
            "number",
            "-subject",
            "state__sort_order",
            "priority",
            "sla_due",
            "-sla_due",
            "-last_activity_at",
            "created_at",
        )
    ]
    open_states = State.objects.filter(workflow__slug="support", slug__in=["new", "in-progress"])
    urls += [
        INBOX + "?" + "&".join(f"state={state.pk}" for state in open_states),
        f"{INBOX}?state={restricted.pk}&view=board",
        f"{INBOX}?priority={Priority.URGENT}&priority={Priority.LOW}",
        f"{INBOX}?customer=customer1",
        f"{INBOX}?breached=true",
        f"{INBOX}?q=blank",
        f"{INBOX}?q=customer2",
    ]  # fmt: skip
    return urls


def test_every_inbox_list_view_filter_sort_and_search_costs_the_same_at_5_and_40_tickets(desk):
    client, urls = desk["client"], inbox_urls(desk["restricted"])
    desk["grow"](5)
    few = {url: queries(client, url) for url in urls}
    desk["grow"](40)  # more than a page of 25
    many = {url: queries(client, url) for url in urls}
    assert many == few
    # A list's page: its capped count, its ids and its rows; a search also reads its words.
    assert max(count for url, count in many.items() if "q=" not in url) <= 14, many
    assert max(many.values()) <= 15, many


def test_the_filter_drawer_and_the_inbox_forms_read_no_configuration_yet_follow_its_changes(desk):
    client = desk["client"]
    desk["grow"](3)
    client.get(INBOX)  # the configuration is read once per process
    with CaptureQueriesContext(connection) as captured:
        client.get(INBOX)
    # Choices read as rows (visibility asks only for ids of states and groups).
    choices = (
        'SELECT "wagtail_support_source".',
        'SELECT "wagtail_support_state"."id", ',
        'SELECT "auth_group"."id", ',
        'SELECT DISTINCT "auth_user".',  # agents
        'SELECT "wagtail_support_action".',
    )
    assert not [q["sql"] for q in captured if q["sql"].startswith(choices)]
    source = Source.objects.get(slug="email")
    source.name = "Fax line"
    source.save()
    make_agent("zelda")
    page = client.get(INBOX).content.decode()
    assert f'<option value="{source.pk}">Fax line</option>' in page
    assert page.count(">zelda</option>") == 2  # the drawer's assignee and the bulk form's
    ticket = new_ticket(source=source, email="fax@example.net")
    found = client.get(INBOX, {"source": source.pk}).context["object_list"]
    assert [t.pk for t in found] == [ticket.pk]


def test_the_state_filter_groups_states_by_workflow_and_rejects_unknown_ones(desk):
    client = desk["client"]
    tickets = desk["grow"](3)
    page = client.get(INBOX).content.decode()
    assert "<label>Support</label>" in page  # several workflows have a "New"
    new = State.objects.get(workflow__slug="support", slug="new")
    shown = client.get(INBOX, {"state": new.pk}).context["object_list"]
    assert {t.pk for t in shown} == {t.pk for t in tickets if t.state_id == new.pk}
    response = client.get(INBOX, {"state": 10**6})
    assert "state" in response.context["filters"].errors


def test_the_ticket_page_costs_the_same_at_5_and_40_tickets_and_3_and_50_messages(desk):
    client, anna = desk["client"], desk["anna"]
    tickets = desk["grow"](5)
    ticket = tickets[1]
    url = reverse("support_desk:ticket", args=[ticket.pk])
    for text in ("Any news?", "We are on it"):
        perform(ticket, ticket.workflow.actions.get(slug="note"), anna, {"message": text})
    assert ticket.messages.count() == 3
    small = queries(client, url)
    desk["grow"](40)
    assert queries(client, url) == small
    for i in range(47):
        kind = "note" if i % 2 else "reply"
        perform(ticket, ticket.workflow.actions.get(slug=kind), anna, {"message": f"m{i}"})
    assert ticket.messages.count() == 50
    response = client.get(url)
    assert response.content.decode().count('class="ws-message') == 50
    assert queries(client, url) == small
    assert small <= 16, small


def test_filtering_by_state_or_priority_adds_no_distinct(desk):
    client = desk["client"]
    desk["grow"](5)
    state = State.objects.get(workflow__slug="support", slug="new")
    for query in (f"state={state.pk}", f"priority={Priority.URGENT}&priority={Priority.LOW}"):
        with CaptureQueriesContext(connection) as captured:
            response = client.get(f"{INBOX}?{query}")
        assert response.context["object_list"]
        ticket_queries = [q["sql"] for q in captured if "wagtail_support_ticket" in q["sql"]]
        assert ticket_queries and not any("DISTINCT" in sql for sql in ticket_queries)


def test_search_finds_subjects_messages_customers_and_numbers_within_visibility(desk):
    client, anna, restricted = desk["client"], desk["anna"], desk["restricted"]
    carol = make_user("carol", email="carol.ledger@example.org")
    by_subject = new_ticket(email="x@example.net", subject="Scanner jams on page two")
    by_message = new_ticket(email="y@example.net", subject="Help", text="the fuser smells burnt")
    by_account = new_ticket(customer=carol, subject="Question")
    by_guest = new_ticket(email="zora@example.net", name="Zora Quill", subject="Hello")
    hidden = new_ticket(email="w@example.net", subject="Scanner jams in accounting")
    hidden.state = restricted
    hidden.save()
    perform(by_message, by_message.workflow.actions.get(slug="note"), anna, {"message": "toner"})

    def found(text):
        return {t.pk for t in client.get(INBOX, {"q": text}).context["object_list"]}

    assert found("scanner JAMS") == {by_subject.pk}  # case-insensitive; hidden stays hidden
    assert found("fuser smells") == {by_message.pk}
    assert found("toner") == {by_message.pk}  # internal notes are the agents' own text
    assert found("carol.ledger") == {by_account.pk}  # the customer's account
    assert found("Quill") == {by_guest.pk}  # a guest's name
    assert found(by_account.number.lower()) == {by_account.pk}
    assert found("nothing like this") == set()


def test_similar_tickets_of_the_ticket_page_are_visible_near_subjects(desk):
    client = desk["client"]
    ticket = new_ticket(email="a@example.net", subject="Router drops the connection at night")
    near = new_ticket(email="b@example.net", subject="Router drops connection every night")
    new_ticket(email="c@example.net", subject="Invoice address is wrong")
    hidden = new_ticket(email="d@example.net", subject="Router drops the connection at night!")
    hidden.state = desk["restricted"]
    hidden.save()
    page = reverse("support_desk:ticket", args=[ticket.pk])
    # The page doesn't wait for them; its script fetches them, and without one a link asks.
    assert client.get(page).context["similar"] is None
    response = client.get(reverse("support_desk:similar", args=[ticket.pk]))
    similar = response.context["similar"]
    assert similar[0] == near
    assert hidden not in similar and ticket not in similar
    assert all("Invoice" not in other.subject for other in similar)
    assert near.number in response.content.decode()
    assert client.get(page, {"similar": 1}).context["similar"] == similar
