import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from tests.utils import PASSWORD, make_agent, make_user, new_ticket
from wagtail_support.intake import SenderBlocked
from wagtail_support.models import BlockedSender, Message, Ticket

pytestmark = pytest.mark.django_db


def test_a_blocked_address_or_domain_is_refused_and_nothing_is_stored():
    BlockedSender.objects.create(pattern="spammer@example.net")
    BlockedSender.objects.create(pattern="@junk.example")
    for address in ("Spammer@Example.net", "anyone@junk.example"):
        with pytest.raises(SenderBlocked):
            new_ticket(email=address)
    assert not Ticket.objects.exists()
    new_ticket(email="friend@example.net")  # others still get through


def test_a_blocked_customer_cannot_reply_but_an_agent_may_take_their_call():
    carol = make_user("carol", email="carol@junk.example")
    ticket = new_ticket(customer=carol)
    BlockedSender.objects.create(pattern="@junk.example")
    from wagtail_support import intake

    with pytest.raises(SenderBlocked):
        intake.receive(ticket.source, ticket=ticket, customer=carol, text="again")
    assert Message.objects.filter(ticket=ticket).count() == 1
    phoned = new_ticket("phone", email="carol@junk.example", entered_by=make_agent("anna"))
    assert phoned.number.startswith("TEL-")


def test_the_blocklist_screen_normalises_patterns(client):
    admin = make_user("admin", superuser=True)
    client.login(username=admin.username, password=PASSWORD)
    client.post(reverse("support_blocklist:add"), {"pattern": " Junk.Example ", "reason": "spam"})
    assert BlockedSender.objects.get().pattern == "@junk.example"
    response = client.post(reverse("support_blocklist:add"), {"pattern": "not a domain"})
    assert "Give an e-mail address or a domain." in response.content.decode()
    agent = make_agent("agent")
    agent.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.logout()
    client.login(username="agent", password=PASSWORD)
    assert client.get(reverse("support_blocklist:index")).status_code in (302, 403)
