"""Visibility: one query decides which tickets a user sees (R-CU2, R-WF6)."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from tests.utils import make_agent, make_user, new_ticket
from wagtail_support.access import can_see, hidden_state_ids, visible_tickets
from wagtail_support.models import State

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup():
    carol, dmitri = make_user("carol"), make_user("dmitri")
    mine, theirs = new_ticket(customer=carol), new_ticket(customer=dmitri)
    waiting = State.objects.get(workflow__slug="support", slug="waiting")
    waiting.visible_to_groups.add(Group.objects.get_or_create(name="Accounting")[0])
    waiting.save()  # parental many-to-many changes are written by save()
    restricted = new_ticket(customer=carol, subject="Invoice")
    restricted.state = waiting
    restricted.save()
    return {"carol": carol, "mine": mine, "theirs": theirs, "restricted": restricted}


def ids(queryset):
    return set(queryset.values_list("pk", flat=True))


def test_a_customer_sees_only_their_own_tickets(setup):
    carol = setup["carol"]
    assert ids(visible_tickets(carol, as_customer=True)) == {
        setup["mine"].pk,
        setup["restricted"].pk,
    }
    assert not can_see(carol, setup["theirs"], as_customer=True)
    # Without the agent permission, the desk's view is empty.
    assert ids(visible_tickets(carol)) == set()


def test_an_agent_sees_unrestricted_states_and_their_groups_states(setup):
    agent = make_agent("agent")
    accountant = make_agent("accountant", groups=["Accounting"])
    everyone = {setup["mine"].pk, setup["theirs"].pk}
    assert ids(visible_tickets(agent)) == everyone
    assert ids(visible_tickets(accountant)) == everyone | {setup["restricted"].pk}


def test_an_agent_sees_what_is_assigned_to_them_or_their_group(setup):
    agent = make_agent("agent", groups=["Desk"])
    restricted = setup["restricted"]
    restricted.assignee = agent
    restricted.save()
    assert can_see(agent, restricted)
    restricted.assignee = None
    restricted.assigned_group = Group.objects.get(name="Desk")
    restricted.save()
    assert can_see(agent, restricted)


def test_view_all_and_superusers_see_every_state(setup):
    supervisor = make_agent("supervisor", perms=["view_all_tickets"])
    admin = make_user("admin", superuser=True)
    for user in (supervisor, admin):
        assert setup["restricted"].pk in ids(visible_tickets(user))


def test_deleted_tickets_and_inactive_users_see_nothing(setup):
    agent = make_agent("agent")
    mine = setup["mine"]
    from django.utils import timezone

    mine.deleted_at = timezone.now()
    mine.save()
    assert mine.pk not in ids(visible_tickets(agent))
    agent.is_active = False
    agent.save()
    assert ids(visible_tickets(agent)) == set()


def test_the_visibility_query_costs_the_same_for_any_number_of_tickets(
    setup, django_assert_num_queries
):
    accountant = make_agent("accountant", groups=["Accounting"])
    visible_tickets(accountant).count()  # warms the permission and group caches
    with django_assert_num_queries(1):
        first = len(list(visible_tickets(accountant)))
    for _ in range(5):
        new_ticket(customer=setup["carol"])
    with django_assert_num_queries(1):
        assert len(list(visible_tickets(accountant))) == first + 5


def test_hidden_states_cost_no_query_without_restrictions_and_follow_changes(
    django_assert_num_queries,
):
    User = get_user_model()
    agent = make_agent("plain")
    hidden_state_ids(make_agent("first"))  # the restrictions are read once per process
    with django_assert_num_queries(0):
        assert hidden_state_ids(agent) == frozenset()
    waiting = State.objects.get(workflow__slug="support", slug="waiting")
    accounting = Group.objects.create(name="Accounting")
    waiting.visible_to_groups.add(accounting)
    waiting.save()
    # A fresh user object each time: the result is kept on the object for its request.
    assert hidden_state_ids(User.objects.get(pk=agent.pk)) == {waiting.pk}
    accounting.delete()
    assert hidden_state_ids(User.objects.get(pk=agent.pk)) == frozenset()
