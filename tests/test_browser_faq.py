"""The contact form's FAQ suggestion box in Debian's Chromium."""

import pytest
from django.core.management import call_command

from tests.faq_helpers import SHOP_FAQ, make_faq
from wagtail_support.models import FAQEntry, FAQSuggestionOpen, Ticket

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_typing_a_subject_offers_faq_answers_and_opening_one_is_counted(
    live_server, page, settings
):
    settings.WAGTAIL_SUPPORT_SPAM_MIN_FILL_SECONDS = 0
    call_command("load_demo_data", quiet_logins=True)
    page.goto(live_server.url + "/support/")
    form = page.locator(".support-contact-form form")
    box = form.locator(".support-faq-suggestions")
    assert box.is_hidden()
    form.get_by_label("Subject").press_sequentially("Where is my refund")
    suggestion = box.get_by_text("When will I get my refund?")
    suggestion.wait_for()
    # The box sits right below the subject, where the customer is typing.
    assert form.locator("p:has(input[name=subject]) + .support-faq-suggestions").count() == 1
    suggestion.click()
    box.get_by_text("Within five working days after the returned item").wait_for()
    link = box.get_by_role("link", name="Read it in the FAQ")
    assert link.get_attribute("href").startswith("/support/faq/#faq-")
    for _attempt in range(50):
        if FAQSuggestionOpen.objects.exists():
            break
        page.wait_for_timeout(100)
    (opened,) = FAQSuggestionOpen.objects.all()
    assert opened.question == "When will I get my refund?" and opened.sent_at is None
    assert opened.typed == "Where is my refund"

    form.get_by_label("Subject").fill("xylophone")
    box.wait_for(state="hidden")
    form.get_by_label("Subject").fill("Refund after two weeks")
    form.get_by_label("Your name").fill("Rita")
    form.get_by_label("Your e-mail address").fill("rita@example.net")
    form.get_by_label("How can we help?").fill("Still nothing on my card.")
    form.get_by_role("button", name="Send").click()
    page.locator(".support-contact-form__sent").wait_for()
    opened.refresh_from_db()
    assert opened.ticket == Ticket.objects.get(subject="Refund after two weeks")


def test_a_vote_is_counted_without_leaving_the_page(live_server, page):
    faq = make_faq(entries=SHOP_FAQ, layout="list")
    page.goto(live_server.url + faq.url)
    entry = FAQEntry.objects.get(question="When is my refund paid?")
    block = page.locator(f"#faq-{entry.pk}")
    block.get_by_role("button", name="No").click()
    block.get_by_text("Thank you for your feedback.").wait_for()
    assert page.url == live_server.url + faq.url  # no reload, no redirect
    assert entry.votes.get().helpful is False
    page.reload()
    assert block.get_by_text("Thank you for your feedback.").is_visible()
