"""My requests: a customer sees and does only what is theirs (R-CU1, R-CU2, R-WF8)."""

import pytest
from django.urls import reverse

from tests.utils import PASSWORD, make_agent, make_user, new_ticket, reload, upload
from wagtail_support.models import Attachment, Message, State
from wagtail_support.workflows.engine import perform

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    carol, dmitri = make_user("carol"), make_user("dmitri")
    agent = make_agent("anna")
    ticket = new_ticket(customer=carol, subject="Broken kettle", files=[upload("photo.jpg")])
    perform(ticket, ticket.workflow.actions.get(slug="note"), agent,
            {"message": "Customer is difficult"}, files=[upload("secret.txt")])  # fmt: skip
    perform(ticket, ticket.workflow.actions.get(slug="reply"), agent, {"message": "We are on it"})
    return {"carol": carol, "dmitri": dmitri, "agent": agent, "ticket": reload(ticket)}


def urls(ticket):
    public = Attachment.objects.get(ticket=ticket, original_name="photo.jpg")
    return {
        "detail": reverse("wagtail_support_portal:detail", args=[ticket.number]),
        "file": reverse("wagtail_support_portal:attachment", args=[ticket.number, public.pk]),
    }


def test_the_list_shows_only_the_customers_requests_with_a_new_reply_badge(client, world):
    new_ticket(customer=world["dmitri"], subject="Dmitri's own")
    client.login(username="carol", password=PASSWORD)
    html = client.get(reverse("wagtail_support_portal:list")).content.decode()
    assert (
        "Broken kettle" in html and "Dmitri&#x27;s own" not in html and "Dmitri's own" not in html
    )
    assert "new reply" in html
    assert "In progress" in html  # the label customers see


@pytest.mark.parametrize("who", ["anonymous", "dmitri", "agent"])
def test_anyone_else_gets_404_or_the_login_page(client, world, who):
    links = urls(world["ticket"])
    if who != "anonymous":
        client.login(username={"dmitri": "dmitri", "agent": "anna"}[who], password=PASSWORD)
    for url in links.values():
        response = client.get(url)
        if who == "anonymous":
            assert response.status_code == 302 and "/accounts/login/" in response["Location"]
        else:
            assert response.status_code == 404
    reply = reverse("wagtail_support_portal:reply", args=[world["ticket"].number])
    client.post(reply, {"text": "intruder"})
    assert not Message.objects.filter(text="intruder").exists()


def test_the_customer_sees_the_public_thread_but_never_internal_notes(client, world):
    client.login(username="carol", password=PASSWORD)
    links = urls(world["ticket"])
    html = client.get(links["detail"]).content.decode()
    assert "We are on it" in html and "photo.jpg" in html
    assert "Customer is difficult" not in html and "secret.txt" not in html
    assert client.get(links["file"])["Content-Disposition"].startswith("attachment;")
    secret = Attachment.objects.get(original_name="secret.txt")
    hidden = reverse("wagtail_support_portal:attachment", args=[world["ticket"].number, secret.pk])
    assert client.get(hidden).status_code == 404


def test_a_reply_reopens_a_resolved_request(client, world):
    ticket = world["ticket"]
    ticket.state = State.objects.get(workflow__slug="support", slug="resolved")
    ticket.save()
    client.login(username="carol", password=PASSWORD)
    response = client.post(
        reverse("wagtail_support_portal:reply", args=[ticket.number]),
        {"text": "It broke again", "attachments": upload("again.jpg")},
    )
    assert response.status_code == 302
    assert reload(ticket).state.slug == "reopened"
    assert Message.objects.get(text="It broke again").from_customer


def test_an_empty_reply_keeps_the_page_with_an_error(client, world):
    client.login(username="carol", password=PASSWORD)
    response = client.post(
        reverse("wagtail_support_portal:reply", args=[world["ticket"].number]), {"text": ""}
    )
    assert response.status_code == 400 and "errorlist" in response.content.decode()


def test_the_customer_closes_their_request_and_only_customer_actions_are_offered(client, world):
    ticket = world["ticket"]
    client.login(username="carol", password=PASSWORD)
    page = client.get(urls(ticket)["detail"])
    assert [a.slug for a in page.context["actions"]] == ["close-mine"]
    delete = reverse("wagtail_support_portal:action", args=[ticket.number, "delete"])
    assert client.post(delete).status_code == 404
    close = reverse("wagtail_support_portal:action", args=[ticket.number, "close-mine"])
    client.post(close, {"version": ticket.version})
    assert reload(ticket).state.slug == "closed" and reload(ticket).deleted_at is None


def test_answers_and_the_resolution_are_rated_once(client, world):
    ticket = world["ticket"]
    answer = Message.objects.get(text="We are on it")
    rate = reverse("wagtail_support_portal:rate", args=[ticket.number])
    client.login(username="carol", password=PASSWORD)
    client.post(rate, {"message": answer.pk, "score": "5"})
    page = client.get(urls(ticket)["detail"]).content.decode()
    assert "You rated this 5 of 5." in page
    response = client.post(rate, {"message": answer.pk, "score": "1"}, follow=True)
    assert "You have already rated this." in response.content.decode()
    note = Message.objects.get(text="Customer is difficult")
    assert client.post(rate, {"message": note.pk, "score": "1"}).status_code == 404
    assert answer.ratings.get().score == 5
    assert ticket.events.filter(kind="rating", data__score=5).exists()


def test_a_low_rating_with_a_comment_reopens_the_conversation(client, world):
    ticket = world["ticket"]
    perform(reload(ticket), ticket.workflow.actions.get(slug="resolve"), world["agent"],
            {"resolution": "Fixed", "message": "Replaced"})  # fmt: skip
    client.login(username="carol", password=PASSWORD)
    client.post(
        reverse("wagtail_support_portal:rate", args=[ticket.number]),
        {"score": "1", "comment": "Still leaking"},
    )
    ticket = reload(ticket)
    assert ticket.ratings.get(message=None).score == 1
    assert ticket.state.slug == "reopened"
    assert Message.objects.filter(ticket=ticket, text="Still leaking", from_customer=True).exists()


def test_others_cannot_rate(client, world):
    client.login(username="dmitri", password=PASSWORD)
    response = client.post(
        reverse("wagtail_support_portal:rate", args=[world["ticket"].number]), {"score": "1"}
    )
    assert response.status_code == 404


def test_my_requests_also_works_as_a_page_in_the_tree(client, world):
    from wagtail.models import Page, Site

    from wagtail_support.models import MyRequestsPage

    home = Site.objects.get(is_default_site=True).root_page
    page = home.add_child(instance=MyRequestsPage(title="My requests", slug="requests"))
    ticket = world["ticket"]
    client.login(username="carol", password=PASSWORD)
    listing = client.get(page.url).content.decode()
    assert f'href="{page.url}{ticket.number}/"' in listing
    detail = client.get(f"{page.url}{ticket.number}/")
    assert detail.status_code == 200 and "We are on it" in detail.content.decode()
    response = client.post(f"{page.url}{ticket.number}/reply/", {"text": "Via the page"})
    assert response["Location"] == f"{page.url}{ticket.number}/"
    client.logout()
    client.login(username="dmitri", password=PASSWORD)
    assert client.get(f"{page.url}{ticket.number}/").status_code == 404
    assert Page.objects.filter(pk=page.pk).exists()


def test_a_customer_starts_a_new_request_from_my_requests(client, world, settings):
    settings.WAGTAIL_SUPPORT_SPAM_MIN_FILL_SECONDS = 0
    from wagtail_support.contact import spam
    from wagtail_support.models import Ticket

    client.login(username="dmitri", password=PASSWORD)
    new = reverse("wagtail_support_portal:new")
    assert "How can we help?" in client.get(new).content.decode()
    response = client.post(
        new,
        {"source": "feedback", "subject": "Nice", "description": "Good service",
         "started": spam.started_token()},
    )  # fmt: skip
    ticket = Ticket.objects.get(subject="Nice")
    assert ticket.customer == world["dmitri"] and ticket.source.slug == "feedback"
    assert response["Location"] == reverse("wagtail_support_portal:detail", args=[ticket.number])


def test_customers_switch_notifications_off_and_the_choice_is_read_back(client, world):
    from wagtail_support.models import NotificationKind
    from wagtail_support.models.preferences import wants

    carol = world["carol"]
    assert wants(carol, NotificationKind.NEW_MESSAGE) and wants(None, "state_change")
    client.login(username="carol", password=PASSWORD)
    url = reverse("wagtail_support_portal:notifications")
    assert client.get(url).status_code == 200
    client.post(url, {"new_message": "on"})  # state changes unticked
    assert wants(carol, NotificationKind.NEW_MESSAGE)
    assert not wants(carol, NotificationKind.STATE_CHANGE)
    assert wants(world["dmitri"], NotificationKind.STATE_CHANGE)  # others keep the default


# Queries of each customer page at most (the session and the user included); the same whether
# the customer has a few requests or many, read or not.
LIST_PAGE, REQUEST_PAGE, NEW_REQUEST_PAGE = 4, 13, 3


def test_customer_pages_cost_the_same_queries_for_a_few_requests_and_for_many(
    client, world, settings
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from wagtail_support import tracking

    settings.WAGTAIL_SUPPORT_PAGE_SIZE = 10
    carol, agent = world["carol"], world["agent"]
    client.login(username="carol", password=PASSWORD)
    pages = {
        "list": reverse("wagtail_support_portal:list"),
        "request": urls(world["ticket"])["detail"],
        "new": reverse("wagtail_support_portal:new"),
    }
    counts = []
    for size in (3, 30):
        while carol.support_tickets.count() < size:
            earlier = new_ticket(customer=carol, subject=f"Earlier {carol.support_tickets.count()}")
            perform(earlier, earlier.workflow.actions.get(slug="reply"), agent, {"message": "Hi"})
            if carol.support_tickets.count() % 2:
                tracking.mark_read(earlier, carol)
        sized = {}
        for key, url in pages.items():
            client.get(url)  # a page seen before: its read mark exists, as on most visits
            with CaptureQueriesContext(connection) as done:
                assert client.get(url).status_code == 200
            sized[key] = len(done)
        counts.append(sized)
    assert counts[0] == counts[1], counts
    assert counts[1]["list"] <= LIST_PAGE, counts
    assert counts[1]["request"] <= REQUEST_PAGE, counts
    assert counts[1]["new"] <= NEW_REQUEST_PAGE, counts
