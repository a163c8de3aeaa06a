"""Access: whatever URL names a thing, the same visibility rule answers (issue #13, item 7)."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import get_resolver, reverse

from tests.utils import PASSWORD, make_agent, make_user, new_ticket, reload
from wagtail_support.intake import claim_guest_requests
from wagtail_support.models import CannedAnswer, Message, Rating
from wagtail_support.portal import guest
from wagtail_support.workflows.engine import perform

pytestmark = pytest.mark.django_db


def namespace_patterns(namespace):
    """(url name, pattern) for every route of a namespace, however it is included."""
    resolver = get_resolver()
    _prefix, sub = resolver.namespace_dict[namespace]
    return [(name, sub.reverse_dict[name]) for name in sub.reverse_dict if isinstance(name, str)]


@pytest.fixture
def canned_agents():
    anna, boris = make_agent("anna"), make_agent("boris")
    codenames = ["access_admin", "add_cannedanswer", "change_cannedanswer", "delete_cannedanswer"]
    for agent in (anna, boris):
        agent.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    return anna, boris


def canned_urls_with_a_pk(pk):
    names = {
        name
        for name, _pattern in namespace_patterns("support_canned_answers")
        if "pk" in str(_pattern)
    }
    assert {"edit", "delete", "copy", "history", "history_results", "usage"} <= names
    return {name: reverse(f"support_canned_answers:{name}", args=[pk]) for name in names}


def test_every_view_of_a_personal_canned_answer_is_404_to_other_agents(client, canned_agents):
    anna, _boris = canned_agents
    secret = CannedAnswer.objects.create(title="Anna's own", body="The secret text", owner=anna)
    urls = canned_urls_with_a_pk(secret.pk)
    client.login(username="boris", password=PASSWORD)
    for name, url in urls.items():
        response = client.get(url)
        assert response.status_code == 404, (name, response.status_code)
        assert b"The secret text" not in response.content
    for name in ("edit", "copy", "delete"):
        client.post(urls[name], {"title": "Taken", "body": "Taken", "shared": "on"})
    assert CannedAnswer.objects.get(pk=secret.pk).title == "Anna's own"
    assert not CannedAnswer.objects.filter(title="Taken").exists()
    client.logout()
    client.login(username="anna", password=PASSWORD)
    for name, url in urls.items():
        assert client.get(url).status_code == 200, name


def test_a_guest_link_stops_opening_the_request_once_an_account_claims_it(client):
    ticket = new_ticket(email="gus@example.net", name="Gus")
    url = guest.path(ticket)
    assert client.get(url).status_code == 200
    claim_guest_requests(make_user("gus", email="gus@example.net"), "gus@example.net")
    assert guest.ticket_for(url.rstrip("/").rsplit("/", 1)[1]) is None
    assert client.get(url).status_code == 404
    client.post(url, {"text": "Through the old link"})
    assert not Message.objects.filter(text="Through the old link").exists()


def test_the_resolution_is_rated_only_once_the_request_is_resolved(client):
    carol, agent = make_user("carol"), make_agent("anna")
    ticket = new_ticket(customer=carol)
    perform(ticket, ticket.workflow.actions.get(slug="reply"), agent, {"message": "Looking"})
    rate = reverse("wagtail_support_portal:rate", args=[ticket.number])
    client.login(username="carol", password=PASSWORD)
    response = client.post(rate, {"score": "5"}, follow=True)
    assert "can be rated once it is resolved" in response.content.decode()
    assert not Rating.objects.exists()
    answer = Message.objects.get(text="Looking")
    client.post(rate, {"message": answer.pk, "score": "4"})  # an answer: rated at any time
    assert Rating.objects.get().message == answer
    perform(reload(ticket), ticket.workflow.actions.get(slug="resolve"), agent,
            {"resolution": "Fixed", "message": "Done"})  # fmt: skip
    client.post(rate, {"score": "5"})
    assert Rating.objects.get(message=None).score == 5
