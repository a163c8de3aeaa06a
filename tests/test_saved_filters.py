"""Saved inbox filters: validated criteria, sharing, the per-agent panel and its order (R-DK1)."""

import json

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.urls import reverse

from tests.utils import admin_login, make_agent, make_user, new_ticket
from wagtail_support import saved_filters
from wagtail_support.models import Priority, SavedFilter, Sharing

pytestmark = pytest.mark.django_db


@pytest.fixture
def anna():
    return make_agent("anna", groups=["First line support"])


def test_criteria_keep_only_allowlisted_valid_parameters():
    query = QueryDict(
        "priority=40&list=mine&q=printer&customer__password__startswith=pbkdf2&p=3"
        "&created_at_from=2026-01-01"
    )
    assert saved_filters.clean_criteria(query) == {
        "created_at_from": ["2026-01-01"],
        "list": ["mine"],
        "priority": ["40"],
        "q": ["printer"],
    }
    for bad in ("priority=99", "list=secret", "ordering=customer__password", "state=999999"):
        with pytest.raises(ValidationError):
            saved_filters.clean_criteria(QueryDict(bad))
    with pytest.raises(ValidationError, match="Choose a list"):
        saved_filters.clean_criteria(QueryDict("p=2"))


def test_sharing_decides_who_may_use_a_filter(anna):
    boris = make_agent("boris", groups=["Technical department"])
    cyril = make_agent("cyril", groups=["First line support"])
    mine = saved_filters.save_filter(anna, "Mine", QueryDict("list=mine"))
    everyone = saved_filters.save_filter(
        anna, "All urgent", QueryDict("priority=40"), Sharing.EVERYONE
    )
    first_line = saved_filters.save_filter(
        anna, "First line", QueryDict("list=my-groups"), Sharing.GROUPS,
        [Group.objects.get(name="First line support")],
    )  # fmt: skip
    assert set(SavedFilter.objects.for_user(boris)) == {everyone}
    assert set(SavedFilter.objects.for_user(cyril)) == {everyone, first_line}
    assert set(SavedFilter.objects.for_user(anna)) == {mine, everyone, first_line}
    with pytest.raises(ValidationError):
        saved_filters.add_to_panel(boris, mine)


def test_the_panel_keeps_each_agents_order(anna):
    a, b, c = (saved_filters.save_filter(anna, n, QueryDict(f"q={n}")) for n in "abc")
    assert saved_filters.panel(anna) == [a, b, c]
    saved_filters.reorder_panel(anna, [c.pk, "junk", 999999, a.pk])
    assert saved_filters.panel(anna) == [c, a, b]
    saved_filters.remove_from_panel(anna, a)
    assert saved_filters.panel(anna) == [c, b]


def test_a_saved_filter_reproduces_the_inbox_view(client, anna):
    carol = make_user("carol")
    urgent = new_ticket(customer=carol, subject="Fire", priority=Priority.URGENT)
    new_ticket(customer=carol, subject="Calm")
    admin_login(client, anna)
    response = client.post(
        reverse("support_desk:save_filter"),
        {"name": "Urgent", "sharing": "personal", "query": "priority=40&view=list"},
    )
    saved = SavedFilter.objects.get(name="Urgent")
    assert response["Location"] == saved_filters.url(saved)
    inbox = client.get(response["Location"])
    assert [t.number for t in inbox.context["object_list"]] == [urgent.number]
    assert "Urgent" in client.get(reverse("support_desk:inbox")).content.decode()


def test_a_bad_filter_is_not_saved_and_the_agent_is_told(client, anna):
    admin_login(client, anna)
    response = client.post(
        reverse("support_desk:save_filter"),
        {"name": "Bad", "sharing": "personal", "query": "ordering=customer__password"},
        follow=True,
    )
    assert "Unknown sort order." in response.content.decode()
    assert not SavedFilter.objects.exists()


def test_panel_changes_are_posts_and_drag_and_drop_saves_the_order(client, anna):
    a, b = (saved_filters.save_filter(anna, n, QueryDict(f"q={n}")) for n in "ab")
    shared = saved_filters.save_filter(make_agent("boris"), "Shared", QueryDict("q=s"), "everyone")
    admin_login(client, anna)
    add = reverse("support_desk:filter_panel", args=[shared.pk, "add"])
    assert client.get(add).status_code == 405
    client.post(add)
    assert saved_filters.panel(anna) == [a, b, shared]
    response = client.post(
        reverse("support_desk:reorder_filters"),
        json.dumps([shared.pk, a.pk, b.pk]),
        content_type="application/json",
    )
    assert response.json() == {"order": [shared.pk, a.pk, b.pk]}
    client.post(reverse("support_desk:filter_panel", args=[a.pk, "up"]))
    assert saved_filters.panel(anna) == [a, shared, b]
    client.post(reverse("support_desk:filter_panel", args=[shared.pk, "delete"]))
    assert SavedFilter.objects.filter(pk=shared.pk).exists()  # only its owner may delete it
    assert client.get(reverse("support_desk:filters")).status_code == 200
