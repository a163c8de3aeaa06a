"""Claiming guest requests needs proof of the address and of the account (issue #13, item 8).

The attack: a squatter signs up with a guest's address; the confirmation link goes to the guest,
who clicks it, and the guest's requests used to move to the squatter's account."""

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from tests.utils import new_ticket
from wagtail_support.intake import claim_guest_requests
from wagtail_support.models import Ticket

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-pass-phrase-9"


def sign_up(client, username, email):
    client.post(
        reverse("signup"),
        {"username": username, "email": email, "password1": PASSWORD, "password2": PASSWORD},
    )
    link = next(line for line in mail.outbox[-1].body.splitlines() if "/verify/" in line)
    client.logout()
    return link.split("testserver", 1)[1]


@pytest.fixture
def guest_ticket():
    return new_ticket(email="gus@example.net", name="Gus", subject="Sent as a guest")


def test_the_owner_clicking_a_squatters_link_moves_nothing(client, guest_ticket):
    squatters_link = sign_up(client, "mallory", "gus@example.net")
    # The real owner, not logged in (he has no account), opens the mail he got.
    response = client.get(squatters_link)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    client.post(squatters_link)
    guest_ticket.refresh_from_db()
    assert guest_ticket.customer is None


def test_another_account_cannot_confirm_a_link(client, guest_ticket):
    squatters_link = sign_up(client, "mallory", "gus@example.net")
    sign_up(client, "other", "other@example.net")
    client.login(username="other", password=PASSWORD)
    assert client.get(squatters_link).status_code == 404
    assert client.post(squatters_link).status_code == 404
    guest_ticket.refresh_from_db()
    assert guest_ticket.customer is None


def test_opening_the_link_asks_and_only_a_post_claims(client, guest_ticket):
    link = sign_up(client, "gus", "gus@example.net")
    client.login(username="gus", password=PASSWORD)
    page = client.get(link)
    assert page.status_code == 200 and b"Confirm my address" in page.content
    guest_ticket.refresh_from_db()
    assert guest_ticket.customer is None  # a mail scanner's GET claims nothing
    client.post(link)
    guest_ticket.refresh_from_db()
    assert guest_ticket.customer.username == "gus"


def test_the_real_owner_recovers_an_address_squatted_by_an_unverified_account(client, guest_ticket):
    sign_up(client, "mallory", "gus@example.net")
    owners_link = sign_up(client, "gus", "GUS@example.net")  # not refused: nobody verified it
    User = get_user_model()
    assert User.objects.filter(username="gus").exists()
    client.login(username="gus", password=PASSWORD)
    client.post(owners_link)
    guest_ticket.refresh_from_db()
    assert guest_ticket.customer.username == "gus"
    assert User.objects.get(username="mallory").email == ""  # the squatter lost the address
    client.logout()
    # Now verified, the address is taken.
    client.post(
        reverse("signup"),
        {"username": "eve", "email": "gus@example.net", "password1": PASSWORD,
         "password2": PASSWORD},
    )  # fmt: skip
    assert not User.objects.filter(username="eve").exists()


def test_a_claim_needs_the_account_to_hold_the_verified_address_at_that_moment(guest_ticket):
    User = get_user_model()
    user = User.objects.create_user("gus", email="gus@example.net")
    # The address changes between the link being opened and the claim running.
    User.objects.filter(pk=user.pk).update(email="changed@example.net")
    assert claim_guest_requests(user, "gus@example.net") == []
    assert Ticket.objects.get(pk=guest_ticket.pk).customer is None
    User.objects.filter(pk=user.pk).update(email="gus@example.net")
    assert claim_guest_requests(user, "gus@example.net") == [guest_ticket]
