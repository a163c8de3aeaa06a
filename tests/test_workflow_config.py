"""Workflow configuration: defaults, consistency checks, append-only history, tracking."""

import pytest
from django.utils import timezone, translation

from tests.utils import make_agent, make_user, new_ticket
from wagtail_support import tracking
from wagtail_support.models import (
    Action,
    ActionField,
    Category,
    Source,
    State,
    TicketEvent,
    Workflow,
)
from wagtail_support.models.history import AppendOnly
from wagtail_support.workflows.defaults import DEFAULT_WORKFLOWS, install_defaults
from wagtail_support.workflows.validation import workflow_errors

pytestmark = pytest.mark.django_db


def test_installing_the_app_gives_the_default_workflows_sources_and_categories():
    support = Workflow.objects.get(slug="support")
    assert list(support.states.values_list("slug", flat=True)) == [
        "new", "in-progress", "waiting", "resolved", "closed", "reopened",
    ]  # fmt: skip
    assert {a.slug for a in support.actions.all()} >= {
        "reply", "note", "take", "assign", "forward", "ask", "resolve", "close", "reopen",
        "delete",
    }  # fmt: skip
    assert support.initial_state().slug == "new"
    assert set(Workflow.objects.values_list("slug", flat=True)) == {
        "support", "presales", "feedback",
    }  # fmt: skip
    assert Source.objects.get(slug="phone").kind == "manual"
    assert Category.objects.filter(slug="payment").exists()
    for workflow in Workflow.objects.all():
        assert workflow_errors(workflow) == []


def test_defaults_are_installed_once_and_never_over_a_sites_own():
    Workflow.objects.get(slug="feedback").sources.all().delete()
    Workflow.objects.get(slug="feedback").delete()
    install_defaults()
    assert not Workflow.objects.filter(slug="feedback").exists()


def test_defaults_are_stored_in_the_sites_language(settings):
    Source.objects.all().delete()
    Workflow.objects.all().delete()
    settings.LANGUAGE_CODE = "pl"
    install_defaults()
    english = DEFAULT_WORKFLOWS[0]["workflow"]["states"][2]["name"]
    with translation.override("pl"):
        polish = translation.gettext(english)
    assert polish != english
    assert State.objects.get(workflow__slug="support", slug="waiting").name == polish


def test_workflow_clean_reports_every_inconsistency():
    workflow = Workflow(name="Broken", slug="broken")
    workflow.states = [
        State(slug="open", name="Open", type="open", customer_reply_target="nowhere"),
        State(slug="open", name="Open again", type="open"),
    ]
    action = Action(
        slug="go",
        name="Go",
        from_states=["limbo"],
        to_state="void",
        writes="nothing",
        message_required=True,
        assignment="round_robin",
    )
    action.fields = [
        ActionField(key="kind_of", label="Kind", field_type="choice"),
        ActionField(key="message", label="Clash"),
    ]
    workflow.actions = [action]
    text = " ".join(workflow_errors(workflow))
    for expected in (
        "needs a state of type 'New'",
        "Two states have the slug 'open'",
        "moves customer replies to 'nowhere'",
        "offered in 'limbo'",
        "moves tickets to 'void'",
        "requires a message but writes nothing",
        "assigns to its group; choose the group",
        "is a choice but has no choices",
        "Field key 'message' of action 'go' is reserved",
    ):
        assert expected in text


def test_history_is_append_only():
    event = TicketEvent.objects.filter(ticket=new_ticket(email="a@example.net")).first()
    event.data = {"forged": True}
    with pytest.raises(AppendOnly):
        event.save()
    with pytest.raises(AppendOnly):
        event.delete()


def test_following_is_recorded_once():
    agent = make_agent("agent")
    ticket = new_ticket(customer=make_user("carol"))
    assert tracking.follow(ticket, agent) is True
    assert tracking.follow(ticket, agent) is False
    assert list(tracking.followers(ticket)) == [agent]
    assert tracking.unfollow(ticket, agent) is True
    assert tracking.unfollow(ticket, agent) is False
    kinds = list(TicketEvent.objects.filter(ticket=ticket).values_list("kind", flat=True))
    assert kinds.count("follow") == 1 and kinds.count("unfollow") == 1


def test_a_ticket_is_unread_until_read_and_again_after_new_activity():
    agent = make_agent("agent")
    ticket = new_ticket(customer=make_user("carol"))
    assert tracking.is_unread(ticket, agent)
    tracking.mark_read(ticket, agent)
    assert not tracking.is_unread(ticket, agent)
    ticket.last_activity_at = timezone.now()
    ticket.save()
    assert tracking.is_unread(ticket, agent)
    tracking.mark_read(ticket, agent)
    tracking.mark_unread(ticket, agent)
    assert tracking.is_unread(ticket, agent)
