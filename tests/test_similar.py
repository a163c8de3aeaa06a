import pytest
from django.contrib.auth.models import Group

from tests.utils import make_agent, new_ticket
from wagtail_support.models import State
from wagtail_support.similar import similar_tickets

pytestmark = pytest.mark.django_db


def test_similar_tickets_share_the_subject_and_respect_visibility():
    agent = make_agent("agent")
    ticket = new_ticket(email="a@example.net", subject="Printer prints blank pages")
    close = new_ticket(email="b@example.net", subject="Printer prints blank pages again")
    near = new_ticket(email="c@example.net", subject="Blank pages from the printer")
    new_ticket(email="d@example.net", subject="Invoice address wrong")
    hidden = new_ticket(email="e@example.net", subject="Printer prints blank pages too")
    secret = State.objects.get(workflow__slug="support", slug="waiting")
    secret.visible_to_groups.add(Group.objects.create(name="Elsewhere"))
    secret.save()
    hidden.state = secret
    hidden.save()

    found = similar_tickets(ticket, agent)
    assert found[0] == close
    assert near in found
    assert hidden not in found and ticket not in found
    assert all("Invoice" not in t.subject for t in found)
