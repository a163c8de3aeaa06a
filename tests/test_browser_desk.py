import pytest
from django.contrib.auth.models import Permission

from tests.utils import PASSWORD, make_agent, make_user, new_ticket
from wagtail_support.models import CannedAnswer, Message, MessageKind

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_an_agent_answers_from_the_inbox_with_a_canned_answer(live_server, page):
    agent = make_agent("anna")
    agent.first_name = "Anna"
    agent.save()
    agent.user_permissions.add(Permission.objects.get(codename="access_admin"))
    ticket = new_ticket(
        customer=make_user("carol", email="carol@example.net"), subject="Lost parcel"
    )
    near = new_ticket(customer=make_user("dave"), subject="Lost parcel again")
    CannedAnswer.objects.create(
        title="Courier check",
        body="Hello {{ customer_name }}, we are checking {{ ticket_number }}.",
    )

    page.goto(live_server.url + "/admin/login/")
    page.get_by_label("Username").fill("anna")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    page.goto(live_server.url + "/admin/support_desk/")
    page.get_by_role("link", name=ticket.number).click()
    assert page.locator(".ws-actions form").count() == 0  # forms come when opened
    page.wait_for_selector(f"#similar >> text={near.number}")  # fetched after the page
    page.get_by_text("Reply", exact=True).first.click()  # opens the Reply form
    form = page.locator("#action-reply form")
    form.get_by_label("Reply").fill("")
    form.get_by_role("button", name="Insert").click()
    expected = f"Hello carol, we are checking {ticket.number}."
    assert form.get_by_label("Reply").input_value() == expected
    form.get_by_role("button", name="Reply").click()

    page.wait_for_selector(".ws-thread >> text=" + expected)
    reply = Message.objects.get(ticket=ticket, text=expected)
    assert reply.kind == MessageKind.REPLY and reply.author == agent

    # An action with a field of its own, from a form fetched on the reloaded page.
    page.locator("#action-resolve summary").click()
    form = page.locator("#action-resolve form")
    form.get_by_label("Resolution").select_option("Fixed")
    form.get_by_label("Reply").fill("Delivered today.")
    form.get_by_role("button", name="Resolve").click()
    page.wait_for_selector(".ws-thread >> text=Delivered today.")
    ticket.refresh_from_db()
    assert ticket.state.slug == "resolved" and ticket.custom_fields["resolution"] == "Fixed"
