"""The variables mail templates see: plain values for one addressee, due times when the ticket
has them, and never an internal note on the customer's side."""

import datetime

import pytest
from django.db import models
from django.utils import timezone

from tests.utils import make_agent, new_ticket, reload
from wagtail_support.mail import context, recipients
from wagtail_support.models import MessageKind
from wagtail_support.workflows.engine import perform

pytestmark = pytest.mark.django_db


@pytest.fixture
def ticket():
    return reload(new_ticket(email="gus@example.net", name="Gus"))


def test_variables_are_plain_values_never_model_objects(ticket):
    found = context.build(ticket, recipients.customer(ticket), message=ticket.messages.first())
    assert found["number"] == ticket.number and found["customer_name"] == "Gus"
    assert found["message"] == "It will not stop burning."
    assert not any(isinstance(value, models.Model) for value in found.values())


def test_due_times_are_read_from_the_ticket_when_it_has_them(ticket):
    assert context.build(ticket, recipients.customer(ticket))["resolution_due"] is None
    due = timezone.now() + datetime.timedelta(hours=4)
    ticket.resolution_due = due  # the SLA fields, once the ticket has them
    found = context.build(ticket, recipients.customer(ticket))
    assert found["resolution_due"] == due and found["first_response_due"] is None


def test_a_note_is_dropped_for_the_customers_side_but_kept_for_agents(ticket):
    anna = make_agent("anna")
    outcome = perform(ticket, ticket.workflow.actions.get(slug="note"), anna, {"message": "psst"})
    note = outcome.message
    assert note.kind == MessageKind.NOTE
    for addressee in [recipients.customer(ticket), recipients.fixed("x@example.org")]:
        side = context.build(ticket, addressee, message=note)
        expected = "" if addressee.customer_side else "psst"
        assert side["message"] == expected
    agents = context.build(ticket, recipients.agent(anna), message=note, events=outcome.events)
    assert agents["message"] == "psst" and agents["message_is_note"]
    assert "Internal note" in agents["changes"]


def test_the_customer_sees_the_states_label_and_agents_its_name(ticket):
    ticket.state.customer_label = "Received"
    assert context.build(ticket, recipients.customer(ticket))["state"] == "Received"
    assert context.build(ticket, recipients.agent(make_agent("anna")))["state"] == ticket.state.name
