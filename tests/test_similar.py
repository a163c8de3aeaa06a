import pytest
from django.contrib.auth.models import Group
from django.contrib.postgres.search import TrigramDistance
from django.db import connection
from django.db.models import Value

from tests.utils import make_agent, new_ticket
from wagtail_support import access
from wagtail_support.models import State
from wagtail_support.similar import Topic, similar_tickets, topic

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


def test_numbers_and_reply_prefixes_do_not_make_subjects_unlike():
    agent = make_agent("agent")
    ticket = new_ticket(
        email="a@example.net", subject="My router cannot be installed (order 63315)"
    )
    same = new_ticket(email="b@example.net", subject="My router cannot be installed (order 10442)")
    plain = new_ticket(email="c@example.net", subject="My router cannot be installed")
    forwarded = new_ticket(
        email="d@example.net", subject="Fwd: [WEB-77] Router cannot be installed"
    )
    same_number = new_ticket(
        email="e@example.net", subject="My invoice needs a new date (order 63315)"
    )

    found = similar_tickets(ticket, agent)
    assert found[0] == same
    if connection.vendor == "postgresql":
        # Another order of the same thing is as near as a ticket can be.
        assert found[0].similarity == pytest.approx(1)
    assert set(found[1:3]) == {plain, forwarded}
    # A shared order number is not a shared topic.
    assert same_number not in found[:3]


def test_topic_drops_what_names_one_case():
    assert topic("Re: [WEB-12] Fwd: My SN-48213-77 router died (order 5)").split() == [
        "My",
        "router",
        "died",
        "(order",
    ]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's trigram index")
def test_the_nearest_topics_are_read_from_the_index():
    agent = make_agent("agent")
    ticket = new_ticket(email="a@example.net", subject="My router cannot be installed (order 1)")
    query = (
        access.visible_tickets(agent)
        .annotate(distance=TrigramDistance(Topic("subject"), Topic(Value(ticket.subject))))
        .order_by("distance")[:5]
    )
    with connection.cursor() as cursor:
        # A handful of rows: only a plan without a sort shows whether the index can serve it.
        cursor.execute("SET LOCAL enable_sort = off")
        plan = query.explain()
    assert "ws_ticket_topic_near" in plan
