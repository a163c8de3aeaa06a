"""FAQ suggestions on the contact form: the endpoint, its cache and rate limit, and the
deflection statistics of suggestions opened and forms then sent or abandoned."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.faq_helpers import SHOP_FAQ, make_faq, make_support_index
from tests.utils import new_ticket
from wagtail_support.contact import spam
from wagtail_support.faq import deflection
from wagtail_support.models import FAQEntry, FAQSuggestionOpen, Source, Ticket

pytestmark = pytest.mark.django_db

SUGGEST = "/support-faq/suggest/"
OPENED = "/support-faq/opened/"


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()


@pytest.fixture
def faq():
    return make_faq(entries=SHOP_FAQ)


def questions(response):
    return [item["question"] for item in response.json()["results"]]


def test_matching_entries_are_suggested_with_their_answer_and_link(client, faq):
    response = client.get(SUGGEST, {"q": "refund"})
    (item,) = response.json()["results"]
    entry = FAQEntry.objects.get(question="When is my refund paid?")
    assert item == {
        "id": entry.pk,
        "question": "When is my refund paid?",
        "answer": "<p>Refunds are paid within 5 working days.</p>",
        "excerpt": "Refunds are paid within 5 working days.",
        "url": f"/support/faq/#faq-{entry.pk}",
    }


def test_a_word_still_being_typed_is_matched_as_a_prefix(client, faq):
    assert questions(client.get(SUGGEST, {"q": "deliv"})) == ["How long does delivery take?"]


def test_short_or_unmatched_text_suggests_nothing(client, faq):
    assert questions(client.get(SUGGEST, {"q": "re"})) == []
    assert questions(client.get(SUGGEST, {"q": "xylophone quartet"})) == []


def test_only_live_pages_entries_are_suggested(client, faq):
    hidden = make_faq(
        make_support_index(title="Old", slug="old"), [("Refund rules of 2019", "<p>old</p>")]
    )
    hidden.unpublish()
    assert questions(client.get(SUGGEST, {"q": "refund"})) == ["When is my refund paid?"]


def test_suggestions_are_limited_by_the_setting(client, faq, settings):
    settings.WAGTAIL_SUPPORT_FAQ_SUGGESTIONS = 1
    assert len(questions(client.get(SUGGEST, {"q": "return refund delivery"}))) == 1
    settings.WAGTAIL_SUPPORT_FAQ_SUGGESTIONS = 0
    assert questions(client.get(SUGGEST, {"q": "refund"})) == []


def test_results_are_cached_until_the_faq_changes(client, faq):
    client.get(SUGGEST, {"q": "refund"})
    with CaptureQueriesContext(connection) as queries:
        again = client.get(SUGGEST, {"q": "refund"})
    # The site lookup may hit the database; the search does not.
    assert not [q for q in queries if "faqentry" in q["sql"].lower()]
    assert questions(again) == ["When is my refund paid?"]
    latest = faq.get_latest_revision_as_object()
    latest.entries.add(FAQEntry(question="Refund by cheque?", answer="<p>No.</p>"))
    latest.save_revision().publish()
    assert "Refund by cheque?" in questions(client.get(SUGGEST, {"q": "refund"}))


def test_the_endpoint_is_rate_limited_per_ip(client, faq, settings):
    settings.WAGTAIL_SUPPORT_FAQ_RATE_LIMIT = 3
    statuses = [
        client.get(SUGGEST, {"q": "refund"}, REMOTE_ADDR="10.1.1.1").status_code for _ in range(4)
    ]
    assert statuses == [200, 200, 200, 429]
    assert client.get(SUGGEST, {"q": "refund"}, REMOTE_ADDR="10.1.1.2").status_code == 200


def test_the_contact_form_offers_suggestions_only_where_the_urls_are_included(client, faq):
    index = faq.get_parent().specific
    index.body = [("contact_form", {"source": "website", "heading": ""})]
    index.save_revision().publish()
    html = client.get(index.url).content.decode()
    assert 'data-ws-suggest-url="/support-faq/suggest/"' in html
    assert "wagtail_support/faq/suggest.js" in html


@pytest.mark.urls("tests.faq_urls_without_suggestions")
def test_without_the_include_the_form_has_no_suggestion_box(client, faq):
    index = faq.get_parent().specific
    index.body = [("contact_form", {"source": "website", "heading": ""})]
    index.save_revision().publish()
    html = client.get(index.url).content.decode()
    assert 'name="subject"' in html and "support-faq-suggestions" not in html


def open_entry(client, entry, started, q="refund"):
    return client.post(OPENED, {"entry": entry.pk, "started": started, "q": q})


def test_an_opened_suggestion_is_recorded_once_per_form(client, faq):
    entry = faq.entries.get(question="When is my refund paid?")
    started = spam.started_token()
    assert open_entry(client, entry, started).status_code == 204
    assert open_entry(client, entry, started).status_code == 204
    (opened,) = FAQSuggestionOpen.objects.all()
    assert opened.entry == entry and opened.typed == "refund" and opened.sent_at is None
    assert opened.form_key == deflection.form_key(started) and started not in opened.form_key
    assert open_entry(client, entry, spam.started_token()).status_code == 204
    assert FAQSuggestionOpen.objects.count() == 2


def test_opening_needs_a_published_entry_and_a_post(client, faq):
    entry = faq.entries.first()
    assert client.get(OPENED, {"entry": entry.pk}).status_code == 405
    assert client.post(OPENED, {"entry": "x"}).status_code == 400
    faq.unpublish()
    assert open_entry(client, entry, spam.started_token()).status_code == 404
    assert not FAQSuggestionOpen.objects.exists()


def test_sending_the_form_marks_its_openings_as_not_deflected(client, faq, settings):
    settings.WAGTAIL_SUPPORT_SPAM_MIN_FILL_SECONDS = 0
    index = faq.get_parent().specific
    index.body = [("contact_form", {"source": "website", "heading": ""})]
    index.save_revision().publish()
    started = spam.started_token()
    entry = faq.entries.get(question="When is my refund paid?")
    open_entry(client, entry, started)
    other_form = spam.started_token()
    open_entry(client, entry, other_form)
    response = client.post(
        index.url,
        {
            "wagtail_support_form": "1:website",
            "name": "Rita",
            "email": "rita@example.net",
            "subject": "Refund still missing",
            "description": "It has been two weeks.",
            "started": started,
        },
    )
    assert response.status_code == 302
    ticket = Ticket.objects.get(subject="Refund still missing")
    sent = FAQSuggestionOpen.objects.get(form_key=deflection.form_key(started))
    assert sent.ticket == ticket and sent.sent_at is not None
    assert FAQSuggestionOpen.objects.get(form_key=deflection.form_key(other_form)).sent_at is None


def test_summary_counts_sent_abandoned_and_pending_forms(faq, settings):
    settings.WAGTAIL_SUPPORT_FAQ_ABANDONED_AFTER_HOURS = 24
    first, second = faq.entries.all()[:2]
    now = timezone.now()
    ticket = new_ticket(Source.objects.get(slug="website"), email="x@example.net")
    forms = {name: spam.started_token() + name for name in ("sent", "abandoned", "pending")}
    for token in forms.values():
        deflection.record_open(first, token)
        deflection.record_open(second, token)
    deflection.form_sent(forms["sent"], ticket)
    FAQSuggestionOpen.objects.exclude(form_key=deflection.form_key(forms["pending"])).update(
        opened_at=now - timedelta(hours=30)
    )
    assert deflection.summary(now=now) == {
        "opened": 6,
        "forms": 3,
        "sent": 1,
        "abandoned": 1,
        "pending": 1,
    }
    assert deflection.summary(since=now - timedelta(hours=1), now=now)["forms"] == 1
