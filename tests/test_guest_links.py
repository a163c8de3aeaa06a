"""Guests follow their request through a signed, expiring, revocable link (R-CU3)."""

from urllib.parse import urlparse

import pytest
from django.core import mail
from django.urls import reverse

from tests.utils import admin_login, make_agent, make_user, new_ticket, reload, upload
from wagtail_support.mail.confirmation import send_confirmation
from wagtail_support.models import Message
from wagtail_support.portal import guest
from wagtail_support.workflows.engine import perform

pytestmark = pytest.mark.django_db


@pytest.fixture
def ticket():
    ticket = new_ticket(email="gus@example.net", name="Gus", files=[upload("a.txt")])
    agent = make_agent("anna")
    perform(ticket, ticket.workflow.actions.get(slug="note"), agent, {"message": "internal!"})
    perform(ticket, ticket.workflow.actions.get(slug="reply"), agent, {"message": "On it"})
    return reload(ticket)


def test_the_confirmation_carries_the_link_and_the_link_opens_the_public_thread(
    client, ticket, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        send_confirmation(ticket.pk)
    link = next(line for line in mail.outbox[0].body.splitlines() if "/my-requests/link/" in line)
    response = client.get(urlparse(link.strip()).path)
    html = response.content.decode()
    assert response.status_code == 200 and "On it" in html and "internal!" not in html
    assert response["Referrer-Policy"] == "no-referrer"


def test_a_guest_replies_through_the_link(client, ticket):
    url = guest.path(ticket)
    response = client.post(url, {"text": "Thanks, still waiting"})
    assert response.status_code == 302
    message = Message.objects.get(text="Thanks, still waiting")
    assert message.from_customer and message.author_email == "gus@example.net"


def test_forged_expired_and_revoked_links_are_404(client, ticket, settings):
    url = guest.path(ticket)
    assert client.get(url[:-3] + "xyz/").status_code == 404
    agent = make_agent("boris")
    admin_login(client, agent)
    client.post(reverse("support_desk:revoke_links", args=[ticket.pk]))
    client.logout()
    assert client.get(url).status_code == 404
    fresh = guest.path(reload(ticket))
    assert client.get(fresh).status_code == 200
    settings.WAGTAIL_SUPPORT_GUEST_LINK_DAYS = 0
    assert client.get(fresh).status_code == 404


def test_customers_with_accounts_get_no_link_in_their_mail(
    ticket, django_capture_on_commit_callbacks
):
    carol = make_user("carol")
    theirs = new_ticket(customer=carol)
    with django_capture_on_commit_callbacks(execute=True):
        send_confirmation(theirs.pk)
    assert "/my-requests/link/" not in mail.outbox[0].body
