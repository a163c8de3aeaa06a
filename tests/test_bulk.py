import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from tests.utils import PASSWORD, make_agent, make_user, new_ticket, reload
from wagtail_support import bulk, tracking
from wagtail_support.models import State

pytestmark = pytest.mark.django_db


@pytest.fixture
def anna():
    return make_agent("anna")


def test_bulk_take_assign_and_follow_go_through_the_engine(anna):
    boris = make_agent("boris")
    carol = make_user("carol")
    a, b = new_ticket(customer=carol), new_ticket(customer=carol)
    assert bulk.run(anna, [a.pk, b.pk], "take").done == [a.number, b.number]
    assert reload(a).assignee == anna and reload(b).assignee == anna
    bulk.run(anna, [a.pk, b.pk], "assign", assignee=boris)
    assert reload(a).assignee == boris
    assert reload(a).events.filter(kind="action", data__action="assign").exists()
    bulk.run(anna, [a.pk], "follow")
    assert list(tracking.followers(a)) == [anna]


def test_a_bulk_action_changes_nothing_unless_every_ticket_allows_it(anna):
    carol = make_user("carol")
    open_ticket = new_ticket(customer=carol)
    closed = new_ticket(customer=carol)
    closed.state = State.objects.get(workflow__slug="support", slug="closed")
    closed.save()
    result = bulk.run(anna, [open_ticket.pk, closed.pk], "take")
    assert list(result.refused) == [closed.number] and result.done == []
    assert reload(open_ticket).assignee is None
    result = bulk.run(anna, [open_ticket.pk], "action", action_slug="resolve")
    assert "needs input" in result.refused[open_ticket.number]


def test_tickets_the_agent_cannot_see_are_left_alone(anna):
    hidden = new_ticket(customer=make_user("carol"))
    secret = State.objects.get(workflow__slug="support", slug="new")
    secret.visible_to_groups.add(Group.objects.create(name="Elsewhere"))
    secret.save()
    assert bulk.run(anna, [hidden.pk], "take").done == []
    assert reload(hidden).assignee is None


def test_the_inbox_bulk_form_posts_and_reports(client, anna):
    anna.user_permissions.add(Permission.objects.get(codename="access_admin"))
    carol = make_user("carol")
    a, b = new_ticket(customer=carol), new_ticket(customer=carol)
    client.login(username="anna", password=PASSWORD)
    assert 'form="ws-bulk"' in client.get(reverse("support_desk:inbox")).content.decode()
    response = client.post(
        reverse("support_desk:bulk"),
        {"operation": "take", "tickets": [a.pk, b.pk], "next": "/admin/support_desk/?list=mine"},
        follow=True,
    )
    assert f"Done: {a.number}, {b.number}" in response.content.decode()
    assert {t.number for t in response.context["object_list"]} == {a.number, b.number}
    response = client.post(
        reverse("support_desk:bulk"),
        {"operation": "take", "tickets": [a.pk], "next": "https://evil.example/"},
    )
    assert response["Location"] == reverse("support_desk:inbox")
