import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from tests.utils import PASSWORD, make_agent, make_user, new_ticket
from wagtail_support.models import CannedAnswer

pytestmark = pytest.mark.django_db


def test_variables_are_filled_from_the_ticket_and_unknown_ones_kept():
    ticket = new_ticket(email="g@example.net", name="Gus", subject="Refund")
    agent = make_agent("anna")
    answer = CannedAnswer(
        body="Hi {{customer_name}}, {{ ticket_number }} ({{ subject }}) is {{ state }}. "
        "{{ agent_name }} {{ password }}"
    )
    assert answer.render(ticket, agent) == (
        f"Hi Gus, {ticket.number} (Refund) is Received. anna {{{{ password }}}}"
    )


@pytest.fixture
def agents(client):
    anna, boris = make_agent("anna"), make_agent("boris")
    for agent in (anna, boris):
        agent.user_permissions.add(
            *Permission.objects.filter(
                codename__in=[
                    "access_admin",
                    "add_cannedanswer",
                    "change_cannedanswer",
                    "delete_cannedanswer",
                ]
            )
        )
    return anna, boris


def test_personal_answers_are_their_owners_alone(client, agents):
    anna, boris = agents
    client.login(username="anna", password=PASSWORD)
    client.post(
        reverse("support_canned_answers:add"),
        {"title": "Mine", "body": "Only mine"},  # "shared" left unticked
    )
    client.post(
        reverse("support_canned_answers:add"), {"title": "Ours", "body": "For all", "shared": "on"}
    )
    mine = CannedAnswer.objects.get(title="Mine")
    assert mine.owner == anna and CannedAnswer.objects.get(title="Ours").owner is None
    client.logout()
    client.login(username="boris", password=PASSWORD)
    listing = client.get(reverse("support_canned_answers:index")).content.decode()
    assert "Ours" in listing and "Mine" not in listing
    assert client.get(reverse("support_canned_answers:edit", args=[mine.pk])).status_code == 404
    assert [a.title for a in CannedAnswer.objects.for_agent(boris)] == ["Ours"]


def test_the_ticket_page_offers_the_agents_answers_filled_in(client, agents):
    _anna, boris = agents
    CannedAnswer.objects.create(title="Hello", body="Dear {{ customer_name }}")
    CannedAnswer.objects.create(title="Boris only", body="x", owner=boris)
    ticket = new_ticket(customer=make_user("carol"))
    client.login(username="anna", password=PASSWORD)
    # The reply form, as the ticket page fetches it when the agent opens it.
    page = client.get(reverse("support_desk:ticket_action", args=[ticket.pk, "reply"]))
    assert page.context["canned_answers"] == [
        {"id": CannedAnswer.objects.get(title="Hello").pk, "title": "Hello", "text": "Dear carol"}
    ]
