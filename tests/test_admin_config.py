"""The configuration screens: workflows (nested states, actions, fields), sources, categories."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from tests.utils import PASSWORD, make_agent, make_user
from wagtail_support.models import Source, Workflow

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.login(username=make_user("admin", superuser=True).username, password=PASSWORD)
    return client


def workflow_form(states, actions, name="Returns", slug="returns"):
    return nested_form_data(
        {
            "name": name,
            "slug": slug,
            "description": "",
            "states": inline_formset(states),
            "actions": inline_formset(actions),
        }
    )


def state(slug, type_, **extra):
    return {"name": slug.title(), "slug": slug, "type": type_, "color": "#123456", **extra}


def action(slug, **extra):
    return {
        "name": slug.title(),
        "slug": slug,
        "button_style": "secondary",
        "from_states": "",
        "to_state": "",
        "agents_may_perform": "on",
        "writes": "nothing",
        "assignment": "keep",
        "fields": inline_formset([]),
        "emails": inline_formset([]),
        **extra,
    }


def test_the_support_menu_lists_the_configuration_screens(admin_client):
    html = admin_client.get(reverse("wagtailadmin_home")).content.decode()
    for url in ("support_workflows:index", "support_sources:index", "support_categories:index"):
        assert reverse(url) in html
    assert (
        "Presales and technical questions"
        in admin_client.get(reverse("support_workflows:index")).content.decode()
    )


def test_a_workflow_with_states_actions_and_fields_is_built_in_one_form(admin_client):
    data = workflow_form(
        [state("new", "new"), state("refunded", "resolved", customer_label="Money sent")],
        [
            action(
                "refund",
                from_states="new",
                to_state="refunded",
                writes="reply",
                fields=inline_formset(
                    [
                        {
                            "label": "Amount",
                            "key": "amount",
                            "field_type": "decimal",
                            "target": "custom",
                            "required": "on",
                        }
                    ]
                ),
            )
        ],
    )
    response = admin_client.post(reverse("support_workflows:add"), data)
    assert response.status_code == 302, response.context["form"].errors
    workflow = Workflow.objects.get(slug="returns")
    assert [s.slug for s in workflow.states.all()] == ["new", "refunded"]
    refund = workflow.actions.get(slug="refund")
    assert refund.from_states == ["new"] and refund.to_state == "refunded"
    assert [f.key for f in refund.fields.all()] == ["amount"]


def test_an_inconsistent_workflow_is_refused_with_the_reason(admin_client):
    data = workflow_form([state("open", "open")], [action("go", to_state="nowhere")])
    response = admin_client.post(reverse("support_workflows:add"), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "needs a state of type" in html
    assert "moves tickets to &#x27;nowhere&#x27;" in html or "moves tickets to 'nowhere'" in html
    assert not Workflow.objects.filter(slug="returns").exists()


def test_a_source_is_created_from_the_admin(admin_client):
    response = admin_client.post(
        reverse("support_sources:add"),
        nested_form_data(
            {
                "name": "Shop two",
                "slug": "shop-two",
                "kind": "web",
                "workflow": Workflow.objects.get(slug="support").pk,
                "number_prefix": "S2-",
                "enabled": "on",
                "preamble": rich_text("<p>We answer within a day.</p>"),
                "success_message": "",
                "form_fields": inline_formset(
                    [{"label": "Order number", "key": "order", "field_type": "text"}]
                ),
            }
        ),
    )
    assert response.status_code == 302, response.context["form"].errors
    source = Source.objects.get(slug="shop-two")
    assert source.number_prefix == "S2-"
    assert [f.key for f in source.form_fields.all()] == ["order"]
    assert "We answer within a day." in source.preamble


def test_agents_without_configuration_permissions_do_not_see_the_screens(client):
    agent = make_agent("agent")
    agent.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.login(username="agent", password=PASSWORD)
    assert (
        reverse("support_workflows:index")
        not in client.get(reverse("wagtailadmin_home")).content.decode()
    )
    assert client.get(reverse("support_workflows:index")).status_code in (302, 403)


def test_the_settings_page_shows_what_is_in_force(admin_client, settings):
    settings.WAGTAIL_SUPPORT_PAGE_SIZE = 40
    html = admin_client.get(reverse("wagtail_support_admin:settings")).content.decode()
    assert "WAGTAIL_SUPPORT_PAGE_SIZE" in html and "<strong>40</strong>" in html
    assert "WAGTAIL_SUPPORT_SPAM_ACTION" in html
    assert (
        reverse("wagtail_support_admin:settings")
        in admin_client.get(reverse("wagtailadmin_home")).content.decode()
    )


def test_agents_do_not_see_the_settings_page(client):
    agent = make_agent("agent")
    agent.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.login(username="agent", password=PASSWORD)
    assert client.get(reverse("wagtail_support_admin:settings")).status_code in (302, 403)
