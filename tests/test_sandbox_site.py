import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from wagtail.models import Page, Site

from sandbox.demo.people import FIRST_LINE, TECHNICAL, USERS
from sandbox.home.models import HomePage
from wagtail_support.models import Ticket

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    call_command("load_demo_data", quiet_logins=True)


def counts():
    return (
        get_user_model().objects.count(),
        Group.objects.count(),
        Page.objects.count(),
        Site.objects.count(),
        Ticket.objects.count(),
    )


def test_demo_data_is_complete_and_idempotent(demo):
    before = counts()
    user = get_user_model().objects.get(username="anna")
    user.set_password("changed")
    user.groups.clear()
    user.save()
    call_command("load_demo_data", quiet_logins=True)
    assert counts() == before
    User = get_user_model()
    for spec in USERS:
        user = User.objects.get(username=spec.username)
        assert user.check_password(spec.password)
        assert user.is_superuser is spec.superuser
    assert set(User.objects.get(username="anna").groups.values_list("name", flat=True)) == {
        FIRST_LINE
    }
    assert set(User.objects.get(username="boris").groups.values_list("name", flat=True)) == {
        TECHNICAL
    }
    assert User.objects.get(username="anna").has_perm("wagtailadmin.access_admin")
    assert User.objects.get(username="boris").has_perm("wagtail_support.work_on_tickets")
    assert not User.objects.get(username="carol").has_perm("wagtailadmin.access_admin")
    site = Site.objects.get(is_default_site=True)
    assert isinstance(site.root_page.specific, HomePage)
    # Wagtail's placeholder "Welcome" page is gone: root, the home page and the Support section
    # (its index, the FAQ, two information pages and the support hours) remain.
    assert Page.objects.count() == 7
    assert not Page.objects.filter(content_type__model="page", depth__gt=1).exists()
    assert Ticket.objects.count() == 4
    assert {t.state.slug for t in Ticket.objects.all()} == {
        "new",
        "in-progress",
        "resolved",
        "consulting",
    }
    # Service levels: the tickets got due times in office hours; the form shows the hours.
    from wagtail_support.models import Service, ServiceLevel, Source

    assert ServiceLevel.objects.count() == 2 and Service.objects.count() == 3
    waiting = Ticket.objects.get(state__slug="new")
    assert waiting.service_level.name == "Standard" and waiting.first_response_due is not None
    assert Source.objects.get(slug="website").schedule.name == "Office hours (Warsaw)"


def test_demo_command_prints_the_logins(demo, capsys):
    call_command("load_demo_data")
    out = capsys.readouterr().out
    for spec in USERS:
        assert spec.username in out and spec.password in out


def test_header_says_log_in_to_a_visitor(demo, client):
    response = client.get("/")
    assert response.status_code == 200
    assert 'name="wagtail_support_form" value="1:website"' in response.content.decode()
    assert b"Support sandbox" in response.content
    assert reverse("login").encode() in response.content
    assert b"My account" not in response.content


def test_header_says_my_account_to_a_customer(demo, client):
    client.login(username="carol", password="customer-demo-1")
    response = client.get("/")
    assert b"My account" in response.content
    assert b">Log in<" not in response.content


def test_sign_up_creates_an_account_and_logs_in(db, client):
    response = client.post(
        reverse("signup"),
        {
            "username": "newbie",
            "email": "newbie@example.com",
            "password1": "a-long-pass-phrase-9",
            "password2": "a-long-pass-phrase-9",
        },
    )
    assert response.status_code == 302 and response["Location"] == reverse("account")
    page = client.get(reverse("account"))
    assert b"newbie@example.com" in page.content


def test_sign_up_refuses_an_address_that_already_has_an_account(demo, client):
    response = client.post(
        reverse("signup"),
        {
            "username": "carol2",
            "email": "CAROL@example.net",
            "password1": "a-long-pass-phrase-9",
            "password2": "a-long-pass-phrase-9",
        },
    )
    assert response.status_code == 200
    assert "An account with this e-mail already exists" in response.content.decode()
    assert not get_user_model().objects.filter(username="carol2").exists()


def test_account_page_needs_a_login(db, client):
    response = client.get(reverse("account"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_password_reset_mails_a_working_link(demo, client):
    client.post(reverse("password_reset"), {"email": "carol@example.net"})
    assert len(mail.outbox) == 1
    link = next(line for line in mail.outbox[0].body.splitlines() if "/reset/" in line)
    path = link.split("://", 1)[1].split("/", 1)[1]
    form = client.get("/" + path, follow=True)
    assert form.context["validlink"]
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "brand-new-phrase-7", "new_password2": "brand-new-phrase-7"},
    )
    assert done.status_code == 302
    assert client.login(username="carol", password="brand-new-phrase-7")


def test_logout_is_a_post(demo, client):
    client.login(username="carol", password="customer-demo-1")
    client.post(reverse("logout"))
    assert b"My account" not in client.get("/").content


def test_a_confirmed_address_brings_the_guest_requests_into_the_new_account(db, client):
    from tests.utils import new_ticket

    earlier = new_ticket(email="Newbie@Example.com", subject="Asked as a guest")
    other = new_ticket(email="someone@example.com")
    client.post(
        reverse("signup"),
        {
            "username": "newbie",
            "email": "newbie@example.com",
            "password1": "a-long-pass-phrase-9",
            "password2": "a-long-pass-phrase-9",
        },
    )
    assert not Ticket.objects.filter(customer__username="newbie").exists()  # not before confirming
    link = next(line for line in mail.outbox[-1].body.splitlines() if "/verify/" in line)
    forged = link.rstrip("/")[:-4] + "abcd/"
    assert client.get(forged.split("testserver", 1)[1]).status_code == 404
    confirm = client.get(link.split("testserver", 1)[1])
    assert "1 earlier request" in confirm.content.decode() or "One earlier request" in (
        confirm.content.decode()
    )
    client.post(link.split("testserver", 1)[1])  # the claim itself is a POST
    earlier.refresh_from_db()
    other.refresh_from_db()
    assert earlier.customer.username == "newbie" and other.customer is None
    listing = client.get(reverse("wagtail_support_portal:list")).content.decode()
    assert "Asked as a guest" in listing
