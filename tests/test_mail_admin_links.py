"""Every mail to staff carries a link that opens the ticket in the desk (issue #15: the link was
reversed from a URL name that does not exist, so no staff mail had one)."""

import re

import pytest
from django.contrib.auth.models import Permission
from django.core import mail

from tests.mail_backends import TEST_BACKEND, act, use_backend
from tests.mail_backends import mail_to as to
from tests.utils import make_agent, new_ticket, reload
from wagtail_support.mail.escalation import send_escalation
from wagtail_support.sla import escalation

pytestmark = pytest.mark.django_db
BASE = "https://desk.example.org"


@pytest.fixture(autouse=True)
def _setup(settings):
    use_backend(settings, TEST_BACKEND)
    settings.WAGTAILADMIN_BASE_URL = BASE


def admin_links(message):
    return re.findall(rf"{re.escape(BASE)}(/\S+)", message.body)


def assert_opens_ticket(client, agent, message, ticket):
    [path] = set(admin_links(message))
    agent.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(agent)
    page = client.get(path)
    assert page.status_code == 200
    assert ticket.number in page.content.decode()


def test_each_kind_of_staff_mail_links_to_the_ticket_in_the_desk(client, commit):
    anna = make_agent("anna")
    sam = make_agent("sam", groups=["Support supervisors"])
    with commit():
        ticket = new_ticket(email="gus@example.net")
    # A supervisor's alert: nobody is responsible for the new request.
    with commit():
        escalation.report_unattended()
    assert_opens_ticket(client, sam, to(sam.email)[-1], ticket)
    # An agent's notification: the customer wrote on a ticket they follow.
    ticket.follows.create(user=anna)
    with commit():
        new_ticket(ticket=reload(ticket), email="gus@example.net", text="Still broken.")
    [notice] = to(anna.email)
    assert "Still broken." in notice.body
    assert_opens_ticket(client, anna, notice, ticket)
    # An SLA escalation.
    with commit():
        send_escalation(ticket, [anna], target="resolution", minutes=15)
    assert_opens_ticket(client, anna, to(anna.email)[-1], ticket)


def test_the_customer_never_gets_the_desk_link(commit):
    with commit():
        ticket = new_ticket(email="gus@example.net")
    act(ticket, "reply", make_agent("anna"), commit, message="Hello.")
    assert mail.outbox and all(not admin_links(sent) for sent in to("gus@example.net"))
