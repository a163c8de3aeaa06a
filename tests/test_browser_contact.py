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
