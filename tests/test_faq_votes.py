""" "Was this helpful?" on FAQ entries: counted once per visitor, without JavaScript."""

import pytest
from django.test import Client

from tests.faq_helpers import SHOP_FAQ, make_faq, make_support_index
from tests.utils import PASSWORD, make_user
from wagtail_support.faq.visitors import COOKIE
from wagtail_support.models import FAQEntry, FAQVote

pytestmark = pytest.mark.django_db


@pytest.fixture
def faq():
    return make_faq(entries=SHOP_FAQ)


def vote_url(page, entry):
    return f"{page.url}helpful/{entry.pk}/"


def counts(entry):
    entry = FAQEntry.objects.with_votes().get(pk=entry.pk)
    return entry.helpful_count, entry.unhelpful_count


def test_a_vote_counts_once_per_visitor_who_may_change_their_mind(client, faq):
    entry = faq.entries.first()
    response = client.post(vote_url(faq, entry), {"helpful": "yes"})
    assert response.status_code == 302
    assert response["Location"] == f"{faq.url}?voted={entry.pk}#faq-{entry.pk}"
    assert COOKIE in response.cookies and response.cookies[COOKIE]["httponly"]
    client.post(vote_url(faq, entry), {"helpful": "yes"})
    assert counts(entry) == (1, 0)
    client.post(vote_url(faq, entry), {"helpful": "no"})
    assert counts(entry) == (0, 1)
    Client().post(vote_url(faq, entry), {"helpful": "yes"})  # someone else
    assert counts(entry) == (1, 1)


def test_after_voting_the_visitor_sees_thanks_on_that_entry_only(client, faq):
    first, second = faq.entries.all()[:2]
    client.post(vote_url(faq, first), {"helpful": "yes"})
    html = client.get(faq.url, {"voted": first.pk}).content.decode()
    first_html = html.split(f'id="faq-{first.pk}"')[1].split("</details>")[0]
    second_html = html.split(f'id="faq-{second.pk}"')[1].split("</details>")[0]
    assert "Thank you for your feedback." in first_html and "Was this helpful?" not in first_html
    assert "Was this helpful?" in second_html
    assert f'<details class="support-faq__entry" id="faq-{first.pk}" open>' in html


def test_a_forged_cookie_is_a_new_visitor(client, faq):
    entry = faq.entries.first()
    client.post(vote_url(faq, entry), {"helpful": "yes"})
    client.cookies[COOKIE] = "forged"
    client.post(vote_url(faq, entry), {"helpful": "yes"})
    assert FAQVote.objects.filter(entry=entry).count() == 2
    assert not FAQVote.objects.filter(visitor__contains="forged").exists()


def test_a_logged_in_customer_counts_once_on_any_device(faq):
    make_user("carol")
    entry = faq.entries.first()
    for _device in range(2):
        device = Client()
        device.login(username="carol", password=PASSWORD)
        device.post(vote_url(faq, entry), {"helpful": "no"})
    assert counts(entry) == (0, 1)


def test_json_answer_for_scripts(client, faq):
    entry = faq.entries.first()
    response = client.post(
        vote_url(faq, entry), {"helpful": "yes"}, headers={"Accept": "application/json"}
    )
    assert response.json() == {"message": "Thank you for your feedback."}


def test_bad_votes_are_refused_and_count_nothing(client, faq):
    entry = faq.entries.first()
    assert client.get(vote_url(faq, entry)).status_code == 405
    assert client.post(vote_url(faq, entry), {"helpful": "maybe"}).status_code == 400
    other = make_faq(make_support_index(title="Other", slug="other"), SHOP_FAQ[:1])
    elsewhere = other.entries.first()
    assert client.post(vote_url(faq, elsewhere), {"helpful": "yes"}).status_code == 404
    assert not FAQVote.objects.exists()


def test_votes_are_rate_limited_per_ip(client, faq, settings):
    settings.WAGTAIL_SUPPORT_FAQ_RATE_LIMIT = 2
    entry = faq.entries.first()
    statuses = [
        client.post(vote_url(faq, entry), {"helpful": "yes"}, REMOTE_ADDR="10.9.8.7").status_code
        for _ in range(3)
    ]
    assert statuses == [302, 302, 429]
