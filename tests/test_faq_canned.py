"""Canned answers and the FAQ: publishing a canned answer as a FAQ entry, and FAQ entries in the
agent's reply editor."""

import json

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from wagtail.models import GroupPagePermission, Page, Site

from tests.faq_helpers import SHOP_FAQ, make_faq, make_support_index, root_page
from tests.utils import PASSWORD, make_agent, make_user, new_ticket
from wagtail_support.faq.answers import plain_text, publish_canned_answer
from wagtail_support.models import CannedAnswer, Category, FAQPage, Source

pytestmark = pytest.mark.django_db


def allow_on_pages(user, page, *codenames):
    group = Group.objects.create(name=f"pages of {user.username}")
    for codename in codenames:
        GroupPagePermission.objects.create(
            group=group,
            page=page,
            permission=Permission.objects.get(
                content_type__app_label="wagtailcore", codename=codename
            ),
        )
    user.groups.add(group)


@pytest.fixture
def faq():
    return make_faq(entries=SHOP_FAQ[:2])


@pytest.fixture
def agent(faq):
    anna = make_agent("anna", perms=())
    anna.user_permissions.add(
        *Permission.objects.filter(codename__in=["access_admin", "change_cannedanswer"])
    )
    return anna


@pytest.fixture
def canned():
    return CannedAnswer.objects.create(
        title="Lost parcel",
        body="We will send a new one.\nNo extra cost.\n\nSorry <for> that.",
        category=Category.objects.get(slug="order"),
    )


def test_a_publisher_publishes_a_canned_answer_as_a_live_entry(faq, agent, canned):
    allow_on_pages(agent, faq, "change_page", "publish_page")
    entry, published = publish_canned_answer(
        canned,
        faq,
        agent,
        question="Where is my parcel?",
        answer=canned.body,
        category=canned.category,
    )
    assert published
    live = FAQPage.objects.get(pk=faq.pk)
    assert live.entries.count() == 3
    entry = live.entries.get(question="Where is my parcel?")
    assert entry.canned_answer == canned and entry.category.slug == "order"
    assert entry.answer == (
        "<p>We will send a new one.<br/>No extra cost.</p><p>Sorry &lt;for&gt; that.</p>"
    )
    assert entry.sort_order == 2  # after the existing entries


def test_an_editor_without_publishing_rights_leaves_a_draft(faq, agent, canned):
    allow_on_pages(agent, faq, "change_page")
    _entry, published = publish_canned_answer(
        canned, faq, agent, question="Where is my parcel?", answer="We send another."
    )
    assert not published
    page = FAQPage.objects.get(pk=faq.pk)
    assert page.entries.count() == 2 and page.has_unpublished_changes
    draft = page.get_latest_revision_as_object()
    assert [e.question for e in draft.entries.all()][-1] == "Where is my parcel?"
    assert draft.entries.all()[2].canned_answer_id == canned.pk


def test_variables_and_foreign_pages_are_refused(faq, agent, canned):
    allow_on_pages(agent, faq, "change_page", "publish_page")
    with pytest.raises(ValidationError):
        publish_canned_answer(canned, faq, agent, question="Q", answer="Hi {{ customer_name }}")
    outsider = make_agent("olga")
    with pytest.raises(PermissionDenied):
        publish_canned_answer(canned, faq, outsider, question="Q", answer="A")
    assert FAQPage.objects.get(pk=faq.pk).entries.count() == 2


def test_the_admin_form_publishes_from_the_canned_answers_list(client, faq, agent, canned):
    allow_on_pages(agent, faq, "change_page", "publish_page")
    client.login(username="anna", password=PASSWORD)
    url = reverse("wagtail_support_admin:publish_to_faq", args=[canned.pk])
    assert url in client.get(reverse("support_canned_answers:index")).content.decode()
    form = client.get(url).context["form"]
    assert form["question"].value() == "Lost parcel" and form["answer"].value() == canned.body
    assert [choice[1] for choice in form.fields["page"].choices] == [faq.title]
    response = client.post(
        url, {"page": faq.pk, "question": "Lost parcel?", "answer": "A new one.", "category": ""}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_pages:edit", args=[faq.pk])
    assert FAQPage.objects.get(pk=faq.pk).entries.filter(question="Lost parcel?").exists()
    response = client.post(
        url, {"page": faq.pk, "question": "Again", "answer": "{{ subject }}", "category": ""}
    )
    assert response.status_code == 200 and "Replace the variables" in response.content.decode()


def test_the_admin_form_offers_only_pages_the_agent_may_edit(client, faq, agent, canned):
    client.login(username="anna", password=PASSWORD)
    url = reverse("wagtail_support_admin:publish_to_faq", args=[canned.pk])
    assert "There is no FAQ page you may edit" in client.get(url).content.decode()
    response = client.post(url, {"page": faq.pk, "question": "Q", "answer": "A"})
    assert response.status_code == 200 and not FAQPage.objects.get(pk=faq.pk).entries.filter(
        question="Q"
    )
    mine = CannedAnswer.objects.create(title="Boris's", body="x", owner=make_agent("boris"))
    other = reverse("wagtail_support_admin:publish_to_faq", args=[mine.pk])
    assert client.get(other).status_code == 404


def test_plain_text_of_an_answer_keeps_paragraphs_and_links():
    assert plain_text('<p>One &amp; two</p><p>See <a href="https://x.example/a">this</a>.</p>') == (
        "One & two\n\nSee this (https://x.example/a)."
    )


def test_the_reply_editor_offers_faq_entries_with_their_link(client, faq, agent):
    ticket = new_ticket(customer=make_user("carol"))
    client.login(username="anna", password=PASSWORD)
    response = client.get(reverse("support_desk:ticket_action", args=[ticket.pk, "reply"]))
    entry = faq.entries.get(question="When is my refund paid?")
    assert {
        "id": f"faq-{entry.pk}",
        "title": "When is my refund paid?",
        "text": f"Refunds are paid within 5 working days.\n\nhttp://localhost/support/faq/#faq-{entry.pk}",
    } in response.context["faq_answers"]
    html = response.content.decode()
    insertable = json.loads(html.split('<script type="application/json">')[1].split("</script>")[0])
    assert f"faq-{entry.pk}" in [item["id"] for item in insertable]
    assert f'<option value="faq-{entry.pk}">When is my refund paid?</option>' in html
    faq.unpublish()
    response = client.get(reverse("support_desk:ticket_action", args=[ticket.pk, "reply"]))
    assert response.context["faq_answers"] == []


def offered_faq(client, ticket):
    response = client.get(reverse("support_desk:ticket_action", args=[ticket.pk, "reply"]))
    return [answer["title"] for answer in response.context["faq_answers"]]


@pytest.fixture
def second_site():
    """Wagtail caches the sites' root paths; a site made here must not outlive the test."""
    cache.clear()
    root = root_page().add_child(instance=Page(title="Shop B", slug="shop-b"))
    yield Site.objects.create(hostname="b.example", root_page=root)
    cache.clear()


def test_the_reply_editor_offers_the_faq_of_the_tickets_site(client, faq, agent, second_site):
    make_faq(make_support_index(second_site.root_page), [("Only on shop B?", "<p>Yes.</p>")])
    source = Source.objects.get(slug="website")
    ticket = new_ticket(source, customer=make_user("carol"))
    client.login(username="anna", password=PASSWORD)
    assert {"Only on shop B?", "When is my refund paid?"} <= set(offered_faq(client, ticket))
    source.site = second_site
    source.save()
    assert offered_faq(client, ticket) == ["Only on shop B?"]
