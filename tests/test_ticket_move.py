"""Move and edit (issue 15, item 5): a ticket's subject, and its source and workflow."""

import datetime as dt

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from tests.sla_utils import make_level
from tests.utils import admin_login, make_agent, make_user, new_ticket, reload
from wagtail_support import ticket_edit
from wagtail_support.models import EventKind, Source, State, TicketEvent
from wagtail_support.models.history import entries
from wagtail_support.workflows.engine import TicketChanged

pytestmark = pytest.mark.django_db


@pytest.fixture
def mover():
    return make_agent("mover", perms=["move_tickets"])


@pytest.fixture
def carol():
    return make_user("carol")


def changes(ticket):
    rows = TicketEvent.objects.filter(ticket=ticket).select_related("message")
    return [(e.kind, e.data) for e in entries(rows) if e.kind in (EventKind.FIELD, EventKind.STATE)]


def test_the_subject_changes_with_its_history(mover, carol):
    ticket = new_ticket(customer=carol, subject="Printr")
    ticket_edit.edit(ticket, mover, subject="  Printer  ")
    ticket = reload(ticket)
    assert ticket.subject == "Printer"
    assert changes(ticket) == [
        (EventKind.FIELD, {"field": "subject", "old": "Printr", "new": "Printer"})
    ]
    # Nothing changed, nothing written: the version stays.
    version = ticket.version
    ticket_edit.edit(ticket, mover, subject="Printer", source=ticket.source)
    assert reload(ticket).version == version


def test_a_move_within_the_workflow_keeps_the_state_and_recomputes_the_sla(mover, carol, clock):
    email = Source.objects.get(slug="email")
    make_level("Default", first=480)
    make_level("E-mail", first=60, default=False, order=1, sources=[email])
    ticket = reload(new_ticket(customer=carol))
    assert ticket.service_level.name == "Default"
    clock.advance(minutes=10)

    ticket_edit.edit(ticket, mover, source=email)
    ticket = reload(ticket)
    assert (ticket.source, ticket.state.slug) == (email, "new")
    assert ticket.service_level.name == "E-mail"
    assert ticket.first_response_due == ticket.created_at + dt.timedelta(minutes=60)
    [(kind, data)] = changes(ticket)
    assert kind == EventKind.FIELD
    assert data["field"] == "source" and data["new"]["id"] == email.pk
    assert data["old"]["id"] == Source.objects.get(slug="website").pk


def test_a_move_to_another_workflow_lands_where_the_agent_says(mover, carol):
    feedback = Source.objects.get(slug="feedback")
    ticket = new_ticket(customer=carol)
    # By default: the state of the same slug ("new" exists in both workflows).
    ticket_edit.edit(ticket, mover, source=feedback)
    ticket = reload(ticket)
    assert (ticket.workflow, ticket.state.slug) == (feedback.workflow, "new")

    other = new_ticket(customer=carol)
    closed = State.objects.get(workflow=feedback.workflow, slug="closed")
    ticket_edit.edit(other, mover, source=feedback, state=closed)
    other = reload(other)
    assert other.state == closed and other.closed_at is not None
    kinds = [(kind, data.get("field")) for kind, data in changes(other)]
    assert kinds == [
        (EventKind.FIELD, "source"),
        (EventKind.FIELD, "workflow"),
        (EventKind.STATE, None),
    ]
    state_change = changes(other)[2][1]
    assert (state_change["old"]["slug"], state_change["new"]["slug"]) == ("new", "closed")


def test_a_state_of_another_workflow_is_refused(mover, carol):
    ticket = new_ticket(customer=carol)
    wrong = State.objects.get(workflow__slug="presales", slug="consulting")
    with pytest.raises(ticket_edit.EditRefused):
        ticket_edit.edit(ticket, mover, source=Source.objects.get(slug="feedback"), state=wrong)
    assert reload(ticket).source.slug == "website"


def test_rights_the_permission_and_both_sources(carol):
    ticket = new_ticket(customer=carol)
    feedback = Source.objects.get(slug="feedback")
    plain = make_agent("plain")
    with pytest.raises(ticket_edit.EditRefused):
        ticket_edit.edit(ticket, plain, subject="Mine now")
    # A state hidden from every group of the agent: they may not move a ticket into it.
    closed = State.objects.get(workflow=feedback.workflow, slug="closed")
    closed.visible_to_groups.add(Group.objects.create(name="Archivists"))
    closed.save()  # parental many-to-many changes are written by save()
    mover = make_agent("m2", perms=["move_tickets"])
    with pytest.raises(ticket_edit.EditRefused):
        ticket_edit.edit(ticket, mover, source=feedback, state=closed)
    assert reload(ticket).subject == "Printer on fire"


def test_a_stale_form_is_refused(mover, carol):
    ticket = new_ticket(customer=carol)
    with pytest.raises(TicketChanged):
        ticket_edit.edit(ticket, mover, subject="Late", expected_version=ticket.version - 1)


def test_the_ticket_page_offers_the_form_and_it_moves(client, mover, carol):
    ticket = new_ticket(customer=carol)
    feedback = Source.objects.get(slug="feedback")
    page = admin_login(client, mover).get(reverse("support_desk:ticket", args=[ticket.pk]))
    url = reverse("support_desk:ticket_move", args=[ticket.pk])
    assert url in page.content.decode()

    fragment = client.get(url)
    assert fragment.status_code == 200
    html = fragment.content.decode()
    # The other workflows' states, grouped by workflow; not the ticket's own.
    assert '<optgroup label="Feedback">' in html
    assert 'label="Support"' not in html

    closed = State.objects.get(workflow=feedback.workflow, slug="closed")
    response = client.post(
        url,
        {"subject": "Praise", "source": feedback.pk, "state": closed.pk, "version": ticket.version},
    )
    assert response.status_code == 302
    ticket = reload(ticket)
    assert (ticket.subject, ticket.source, ticket.state) == ("Praise", feedback, closed)


def test_agents_without_the_permission_see_no_control_and_are_turned_away(client, carol):
    ticket = new_ticket(customer=carol)
    plain = make_agent("plain")
    admin_login(client, plain)
    page = client.get(reverse("support_desk:ticket", args=[ticket.pk]))
    url = reverse("support_desk:ticket_move", args=[ticket.pk])
    assert url not in page.content.decode()
    # Wagtail turns a PermissionDenied into a redirect to the dashboard with its message.
    home = reverse("wagtailadmin_home")
    assert client.get(url)["Location"] == home
    assert client.post(url, {"subject": "X", "source": ticket.source_id})["Location"] == home
    assert reload(ticket).subject == "Printer on fire"
    # A ticket the agent may not see is not there at all.
    hidden = make_agent("outsider", perms=["move_tickets"])
    state = ticket.state
    state.visible_to_groups.add(Group.objects.create(name="Elsewhere"))
    state.save()
    admin_login(client, hidden)
    assert client.get(url).status_code == 404
