import pytest
from django.core.management import call_command

from wagtail_support.models import Ticket

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_guest_sends_the_home_page_form_and_gets_a_number(live_server, page, settings):
    settings.WAGTAIL_SUPPORT_SPAM_MIN_FILL_SECONDS = 0
    call_command("load_demo_data", quiet_logins=True)
    before = set(Ticket.objects.values_list("number", flat=True))
    page.goto(live_server.url + "/")
    form = page.locator(".support-contact-form form")
    form.get_by_label("Your name").fill("Gus Guest")
    form.get_by_label("Your e-mail address").fill("gus@example.net")
    form.get_by_label("Subject").fill("Broken lid")
    form.get_by_label("How can we help?").fill("The lid of my kettle broke.")
    form.get_by_role("button", name="Send").click()
    sent = page.locator(".support-contact-form__sent")
    sent.wait_for()
    (number,) = set(Ticket.objects.values_list("number", flat=True)) - before
    assert f"Your request number is {number}." in sent.inner_text()
    ticket = Ticket.objects.get(number=number)
    assert ticket.customer_email == "gus@example.net" and not ticket.is_spam


def test_guest_to_customer_the_whole_way(live_server, page, settings):
    """A guest sends the form; an agent answers; the guest signs up with the same address,
    confirms it, finds the answer in My requests and rates it."""
    from django.core import mail

    from tests.utils import make_agent
    from wagtail_support.workflows.engine import perform

    settings.WAGTAIL_SUPPORT_SPAM_MIN_FILL_SECONDS = 0
    call_command("load_demo_data", quiet_logins=True)
    page.goto(live_server.url + "/")
    form = page.locator(".support-contact-form form")
    form.get_by_label("Your name").fill("Hana")
    form.get_by_label("Your e-mail address").fill("hana@example.net")
    form.get_by_label("Subject").fill("Wrong size")
    form.get_by_label("How can we help?").fill("The shoes are too small.")
    form.get_by_role("button", name="Send").click()
    page.locator(".support-contact-form__sent").wait_for()
    ticket = Ticket.objects.get(subject="Wrong size")

    agent = make_agent("agent")
    perform(ticket, ticket.workflow.actions.get(slug="reply"), agent, {"message": "Send them back"})

    page.goto(live_server.url + "/accounts/signup/")
    page.get_by_label("Username").fill("hana")
    page.get_by_label("E-mail").fill("hana@example.net")
    page.get_by_label("Password:", exact=True).fill("a-long-pass-phrase-9")
    page.get_by_label("Password confirmation").fill("a-long-pass-phrase-9")
    page.get_by_role("button", name="Create my account").click()
    page.wait_for_url("**/accounts/")
    link = next(line for line in mail.outbox[-1].body.splitlines() if "/verify/" in line)
    page.goto(link)
    page.get_by_text("earlier request sent from this address").wait_for()
    page.get_by_role("button", name="Confirm my address").click()

    page.locator("header").get_by_role("link", name="My requests").click()
    page.get_by_role("link", name=ticket.number).click()
    assert page.get_by_text("Send them back").is_visible()
    page.locator(".support-rating").first.get_by_label("5").check()
    page.locator(".support-rating").first.get_by_role("button", name="Rate").click()
    page.get_by_text("You rated this 5 of 5.").wait_for()
    assert ticket.ratings.get().score == 5
