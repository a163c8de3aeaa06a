"""No 500s from input (issue #13, item 9): every URL of the app, as every kind of user, with
hostile values in the path and the query (quotes, NUL, huge integers, Unicode digits, negative
numbers, 10 KB strings). Bad input gets a 4xx or a page that says so, never a server error."""

import json
from urllib.parse import quote

import pytest
from django.contrib.auth.models import Permission
from django.core.signals import got_request_exception
from django.db import transaction
from django.test import Client
from django.urls import reverse
from wagtail.models import Page, Site

from tests import url_patterns
from tests.faq_helpers import SHOP_FAQ, make_faq
from tests.utils import PASSWORD, make_agent, make_user, new_ticket, perform_action
from wagtail_support import saved_filters
from wagtail_support.faq.search import search_page, suggestions
from wagtail_support.ids import parse_id, parse_ids
from wagtail_support.models import CannedAnswer, FilterPanelEntry, MyRequestsPage, Rating
from wagtail_support.portal import guest

pytestmark = pytest.mark.django_db

HOSTILE = [
    "printer\"'<x>",
    "a\x00b",
    "99999999999999999999",
    "²",
    "-1",
    "x" * 10240,
]
# Parameters the app's views and filters read; the inbox filter's own come from saved_filters.
KEYS = {
    "q", "p", "page", "state", "states", "ordering", "list", "view", "source", "category",
    "priority", "assignee", "tickets", "message", "score", "comment", "entry", "started",
    "helpful", "voted", "next", "version", "text", "operation", "action", "name", "sharing",
    "groups", "query", "token", "number", "pk", "id", "describe_on_delete", "sort", "order",
}  # fmt: skip


@pytest.fixture
def world():
    # An earlier test may have left Wagtail's cached site roots pointing at pages that are gone.
    Site.clear_site_root_paths_cache()
    carol = make_user("carol", email="carol@example.net")
    agent = make_agent("anna", perms=("add_cannedanswer", "change_cannedanswer"))
    agent.user_permissions.add(Permission.objects.get(codename="access_admin"))
    superuser = make_user("root", superuser=True)
    ticket = new_ticket(customer=carol, subject="Broken kettle")
    perform_action(ticket, "reply", agent, {"message": "On it"})
    guest_ticket = new_ticket(email="gus@example.net", name="Gus")
    CannedAnswer.objects.create(title="Hello", body="Hi {{ customer_name }}", owner=agent)
    saved_filters.save_filter(agent, "Mine", _query("list=mine"))
    faq = make_faq(entries=SHOP_FAQ)
    home = Page.objects.get(depth=2)
    my_requests = home.add_child(instance=MyRequestsPage(title="Requests", slug="requests"))
    return {
        "users": {"customer": carol, "agent": agent, "superuser": superuser},
        "known": {
            "number": ticket.number,
            "token": guest.token(guest_ticket),
            "pk": ticket.pk,
            "slug": "close-mine",
            "operation": "up",
            "entry_id": faq.entries.first().pk,
        },
        "pages": [faq, my_requests],
    }


def _query(text):
    from django.http import QueryDict

    return QueryDict(text)


def all_routes(world):
    return url_patterns.all_routes(world["pages"])


def client_for(kind, world):
    client = Client(raise_request_exception=False)
    if kind != "anonymous":
        client.login(username=world["users"][kind].username, password=PASSWORD)
    return client


def request(client, method, url, data, failures, name):
    """One request in a savepoint, so that a failed one cannot poison the rest on PostgreSQL."""
    errors = []

    def record(sender, request=None, **kwargs):
        import sys

        errors.append(repr(sys.exc_info()[1])[:300])

    got_request_exception.connect(record)
    try:
        with transaction.atomic():
            response = getattr(client, method)(url, data)
            if response.status_code >= 500:
                raise _Failed
    except _Failed:
        failures.append((name, method, url[:120], repr(data)[:80], errors[:1]))
    finally:
        got_request_exception.disconnect(record)


class _Failed(Exception):
    """Rolls back the savepoint of a request that failed."""


@pytest.mark.parametrize("kind", ["anonymous", "customer", "agent", "superuser"])
def test_no_url_of_the_app_answers_500_to_hostile_input(world, kind):
    client = client_for(kind, world)
    known = world["known"]
    failures = []
    routes = all_routes(world)
    assert {"support_desk:inbox", "wagtail_support_portal:rate", "wagtail_support_faq:suggest",
            "support_canned_answers:copy", "FAQPage:helpful"} <= set(routes)  # fmt: skip
    for name, route in sorted(routes.items()):
        # Hostile values in the path, with and without a body.
        for value in HOSTILE:
            url = url_patterns.fill(route, lambda *_args, value=value: value)
            request(client, "get", url, {}, failures, name)
            request(client, "post", url, {"q": value}, failures, name)
        # Plausible path values, hostile values in the query and in the body. Deleting for real
        # would only empty the world the other requests need.
        url = url_patterns.fill(route, lambda param, _conv: known.get(param, known["pk"]))
        for value in HOSTILE:
            data = dict.fromkeys(KEYS | saved_filters.allowed_keys(), value)
            request(client, "get", url, data, failures, name)
            if not name.endswith(":delete"):
                request(client, "post", url, data, failures, name)
    assert not failures, "\n".join(map(str, failures))


def test_the_filter_order_takes_only_a_json_list_of_ids(client, world):
    agent = world["users"]["agent"]
    client.login(username=agent.username, password=PASSWORD)
    url = reverse("support_desk:reorder_filters")
    for body in (["²", "99999999999999999999", -1, None, [1], {"a": 1}, "1" * 5000], {"a": 1}):
        response = client.post(url, json.dumps(body), content_type="application/json")
        assert response.status_code in (200, 400)


def test_ids_are_ascii_digits_within_the_databases_range():
    assert [parse_id(v) for v in ("12", 12, "²", "١٢", "-1", "0", " 1", "1.0", True)] == [
        12, 12, None, None, None, None, None, None, None
    ]  # fmt: skip
    assert parse_id(str(2**63 - 1)) == 2**63 - 1 and parse_id(str(2**63)) is None
    assert parse_ids(["3", "²", "3", "99999999999999999999", 1]) == [3, 1]


def test_bulk_ignores_ids_that_are_not_ids(client, world):
    agent = world["users"]["agent"]
    client.login(username=agent.username, password=PASSWORD)
    pk = world["known"]["pk"]
    response = client.post(
        reverse("support_desk:bulk"),
        {"operation": "follow", "tickets": ["²", "99999999999999999999", "-1", str(pk)]},
    )
    assert response.status_code == 302
    assert list(agent.followed_support_tickets.values_list("ticket_id", flat=True)) == [pk]


def test_the_filter_order_ignores_ids_that_are_not_ids(client, world):
    agent = world["users"]["agent"]
    second = saved_filters.save_filter(agent, "Second", _query("list=all"))
    client.login(username=agent.username, password=PASSWORD)
    response = client.post(
        reverse("support_desk:reorder_filters"),
        json.dumps(["²", "99999999999999999999", str(second.pk), True]),
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["order"][0] == second.pk
    assert FilterPanelEntry.objects.get(user=agent, saved_filter=second).position == 1


def test_rating_a_message_that_is_not_an_id_is_404(client, world):
    client.login(username="carol", password=PASSWORD)
    rate = reverse("wagtail_support_portal:rate", args=[world["known"]["number"]])
    for value in ("abc", "²", "99999999999999999999"):
        assert client.post(rate, {"message": value, "score": "5"}).status_code == 404
    assert not Rating.objects.exists()


@pytest.mark.parametrize("text", ['printer"', "printer\x00", "'", 'AND "(', "x" * 10240])
def test_a_search_the_backend_refuses_shows_no_results(client, world, text):
    faq = world["pages"][0]
    assert isinstance(search_page(faq, text), list)
    response = client.get(faq.url, {"q": text})
    assert response.status_code == 200
    assert "No answer matches your search" in response.content.decode()
    assert isinstance(suggestions(None, faq.get_site(), text), list)
    response = client.get(reverse("wagtail_support_faq:suggest"), {"q": text})
    assert response.status_code == 200 and isinstance(response.json()["results"], list)


@pytest.mark.parametrize("value", ["99999999999999999999", "²", "-1", "a\x00b"])
def test_the_inbox_treats_an_id_that_is_not_one_as_a_filter_error(client, world, value):
    agent = world["users"]["agent"]
    client.login(username=agent.username, password=PASSWORD)
    for param in ("state", "source", "assignee", "category", "service"):
        response = client.get(reverse("support_desk:inbox"), {param: value})
        assert response.status_code == 200, param
    response = client.post(
        reverse("support_desk:save_filter"), {"name": "Odd", "query": f"state={quote(value)}"}
    )
    assert (
        response.status_code == 302
        and not saved_filters.SavedFilter.objects.filter(name="Odd").exists()
    )


def test_a_request_number_with_a_nul_is_404(client, world):
    # PostgreSQL refuses NUL in a query; SQLite just finds nothing.
    client.login(username="carol", password=PASSWORD)
    detail = reverse("wagtail_support_portal:detail", args=["WEB\x00-1"])
    assert client.get(detail).status_code == 404
    for name in ("rate", "reply"):
        url = reverse(f"wagtail_support_portal:{name}", args=["WEB\x00-1"])
        assert client.post(url).status_code == 404
