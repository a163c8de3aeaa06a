"""Who may perform which action in which state: the rights matrix (R-WF5, R-WF6)."""

import pytest
from django.contrib.auth.models import Group

from tests.utils import make_agent, make_user, new_ticket, reload
from wagtail_support.access import Guest
from wagtail_support.models import Source, State
from wagtail_support.workflows import rights
from wagtail_support.workflows.engine import ActionNotAllowed, perform
from wagtail_support.workflows.transfer import import_workflow

pytestmark = pytest.mark.django_db

ROLES = ("admin", "agent", "deleter", "accountant", "staff", "customer", "stranger", "guest")


@pytest.fixture
def actors():
    return {
        "admin": make_user("admin", superuser=True),
        "agent": make_agent("agent", groups=["First line support"]),
        "deleter": make_agent("deleter", perms=["delete_ticket"]),
        "accountant": make_agent("accountant", groups=["Accounting"]),
        "staff": make_user("staff"),  # an account without the agent permission
        "customer": make_user("customer"),
        "stranger": make_user("stranger"),
        "guest": Guest("guest@example.net", "Gus"),
    }


def ticket_in(state_slug, actors, workflow="support"):
    source = Source.objects.filter(workflow__slug=workflow).first()
    ticket = new_ticket(source, customer=actors["customer"])
    ticket.state = State.objects.get(workflow__slug=workflow, slug=state_slug)
    ticket.save()
    return reload(ticket)


# (state, action) -> the roles that may perform it; every other role is refused.
SUPPORT_MATRIX = {
    ("new", "reply"): {"admin", "agent", "deleter", "accountant"},
    ("new", "take"): {"admin", "agent", "deleter", "accountant"},
    ("new", "close-mine"): {"customer"},
    ("new", "delete"): {"admin", "deleter"},
    ("new", "reopen"): set(),
    ("waiting", "ask"): set(),
    ("resolved", "reopen"): {"admin", "agent", "deleter", "accountant", "customer"},
    ("resolved", "reply"): set(),
    ("closed", "note"): {"admin", "agent", "deleter", "accountant"},
    ("closed", "close-mine"): set(),
}


@pytest.mark.parametrize(("state", "action"), list(SUPPORT_MATRIX))
def test_support_workflow_rights_matrix(actors, state, action):
    ticket = ticket_in(state, actors)
    action_obj = ticket.workflow.actions.get(slug=action)
    allowed = {role for role in ROLES if rights.why_not(actors[role], ticket, action_obj) is None}
    assert allowed == SUPPORT_MATRIX[(state, action)]


def test_the_engine_refuses_what_the_matrix_refuses(actors):
    ticket = ticket_in("new", actors)
    delete = ticket.workflow.actions.get(slug="delete")
    for role in ("agent", "staff", "customer", "stranger"):
        with pytest.raises(ActionNotAllowed):
            perform(reload(ticket), delete, actors[role], {})
    assert reload(ticket).deleted_at is None
    perform(reload(ticket), delete, actors["deleter"], {})
    assert reload(ticket).deleted_at is not None


BILLING = {
    "format": "wagtail-support-workflow",
    "version": 1,
    "workflow": {
        "name": "Billing",
        "slug": "billing",
        "description": "",
        "states": [
            {"slug": "new", "name": "New", "type": "new", "color": "#2563eb",
             "customer_label": "", "pauses_sla": False, "auto_close_days": None,
             "customer_reply_target": "", "visible_to_groups": []},
            {"slug": "awaiting-payment", "name": "Awaiting payment", "type": "waiting",
             "color": "#7c3aed", "customer_label": "", "pauses_sla": True,
             "auto_close_days": None, "customer_reply_target": "",
             "visible_to_groups": ["Accounting"]},
            {"slug": "paid", "name": "Paid", "type": "resolved", "color": "#16a34a",
             "customer_label": "", "pauses_sla": False, "auto_close_days": None,
             "customer_reply_target": "", "visible_to_groups": []},
        ],
        "actions": [
            {"slug": "invoice", "name": "Send invoice", "description": "",
             "from_states": ["new"], "to_state": "awaiting-payment", "agents_may_perform": True,
             "allowed_groups": [], "assignee_only": True, "customer_may_perform": False,
             "required_permission": "", "writes": "nothing", "message_required": False,
             "assignment": "keep", "assign_group": None, "deletes": False,
             "button_style": "primary", "fields": [], "emails": []},
            {"slug": "payment-received", "name": "Payment received", "description": "",
             "from_states": ["awaiting-payment"], "to_state": "paid",
             "agents_may_perform": True, "allowed_groups": ["Accounting"],
             "assignee_only": False, "customer_may_perform": False, "required_permission": "",
             "writes": "nothing", "message_required": False, "assignment": "keep",
             "assign_group": None, "deletes": False, "button_style": "primary", "fields": [],
             "emails": []},
        ],
    },
}  # fmt: skip


@pytest.fixture
def billing(actors):
    workflow = import_workflow(BILLING, create_groups=True)
    Source.objects.create(name="Billing", slug="billing", kind="web", workflow=workflow)
    return workflow


def test_an_accountant_sees_only_awaiting_payment_and_may_mark_it_paid(actors, billing):
    """Seed 000's example: rights per group and state."""
    ticket = ticket_in("awaiting-payment", actors, workflow="billing")
    paid = billing.actions.get(slug="payment-received")
    assert rights.why_not(actors["accountant"], ticket, paid) is None
    assert "can't work on this ticket" in rights.why_not(actors["agent"], ticket, paid)
    # An agent of another group who may see the state still may not perform the action.
    both = make_agent("both", groups=["First line support"])
    state = ticket.state
    state.visible_to_groups.add(Group.objects.get(name="First line support"))
    state.save()
    assert "Your groups may not perform" in rights.why_not(both, reload(ticket), paid)
    perform(ticket, paid, actors["accountant"], {})
    assert reload(ticket).state.slug == "paid"


def test_once_assigned_only_the_assignee_may_perform_an_assignee_only_action(actors, billing):
    ticket = ticket_in("new", actors, workflow="billing")
    invoice = billing.actions.get(slug="invoice")
    ticket.assignee = actors["agent"]
    ticket.save()
    assert "Only the assignee" in rights.why_not(actors["accountant"], reload(ticket), invoice)
    assert rights.why_not(actors["agent"], reload(ticket), invoice) is None
    assert rights.why_not(actors["admin"], reload(ticket), invoice) is None


def test_a_guest_customer_may_act_on_their_own_guest_ticket_only(actors):
    source = Source.objects.get(slug="website")
    ticket = new_ticket(source, email="Guest@Example.net")
    ticket.state = State.objects.get(workflow__slug="support", slug="resolved")
    ticket.save()
    reopen = ticket.workflow.actions.get(slug="reopen")
    assert rights.why_not(actors["guest"], reload(ticket), reopen) is None
    assert rights.why_not(Guest("other@example.net"), reload(ticket), reopen) is not None


def test_available_actions_lists_what_the_actor_may_do(actors):
    ticket = ticket_in("resolved", actors)
    slugs = [a.slug for a in rights.available_actions(actors["customer"], ticket)]
    assert slugs == ["close-mine", "reopen"]
    agent_slugs = [a.slug for a in rights.available_actions(actors["agent"], ticket)]
    assert (
        "reopen" in agent_slugs and "close-mine" not in agent_slugs and "delete" not in agent_slugs
    )
