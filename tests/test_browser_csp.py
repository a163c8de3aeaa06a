"""The sandbox's pages under its Content-Security-Policy in Debian's Chromium: the policy is
enforced, nothing the pages need is blocked, and their scripts still work."""

import pytest
from django.contrib.auth.models import Permission
from django.core.management import call_command

from tests.utils import PASSWORD, make_agent, make_user, new_ticket

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# Playwright's init scripts run outside the page's policy: this one records every violation.
RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__violations.push(`${event.effectiveDirective} blocked ${event.blockedURI}`);
});
"""


@pytest.fixture
def watched(page):
    """The page, recording CSP violations from events and from the console."""
    page.add_init_script(RECORD_VIOLATIONS)
    console = []
    page.on(
        "console",
        lambda message: (
            console.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    page.csp_console = console
    return page


def violations(page):
    return page.evaluate("window.__violations") + page.csp_console


def open_strict(page, url):
    response = page.goto(url)
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy.split("style-src")[0]
    return response


def test_an_injected_inline_script_is_blocked_and_reported(live_server, watched):
    call_command("load_demo_data", quiet_logins=True)
    open_strict(watched, live_server.url + "/support/")
    watched.evaluate(
        "() => { const s = document.createElement('script');"
        " s.textContent = 'window.__ran = true'; document.body.append(s); }"
    )
    watched.wait_for_function("window.__violations.length > 0")
    assert watched.evaluate("window.__ran") is None
    assert any(v.startswith("script-src") for v in violations(watched))


def test_the_contact_form_offers_faq_answers_under_the_policy(live_server, watched, settings):
    settings.WAGTAIL_SUPPORT_SPAM_MIN_FILL_SECONDS = 0
    call_command("load_demo_data", quiet_logins=True)
    open_strict(watched, live_server.url + "/support/")
    form = watched.locator(".support-contact-form form")
    form.get_by_label("Subject").press_sequentially("Where is my refund")
    form.locator(".support-faq-suggestions").get_by_text("When will I get my refund?").wait_for()
    assert violations(watched) == [], "\n".join(violations(watched))


def test_the_inbox_and_the_ticket_page_work_under_the_policy(live_server, watched):
    agent = make_agent("anna")
    agent.user_permissions.add(Permission.objects.get(codename="access_admin"))
    ticket = new_ticket(customer=make_user("carol"), subject="Lost parcel")

    watched.goto(live_server.url + "/admin/login/")
    watched.get_by_label("Username").fill("anna")
    watched.get_by_label("Password").fill(PASSWORD)
    watched.get_by_role("button", name="Sign in").click()
    watched.wait_for_url("**/admin/")

    open_strict(watched, live_server.url + "/admin/support_desk/")
    watched.get_by_role("link", name=ticket.number).wait_for()
    # The date filters' pickers, set up from a static file instead of inline scripts.
    dates = watched.locator("input[data-ws-date-chooser]")
    assert dates.count() == 4
    assert dates.evaluate_all("inputs => inputs.every(i => i.dataset.wsDateChooserReady)")
    open_strict(watched, live_server.url + f"/admin/support_desk/{ticket.pk}/")
    watched.get_by_text("Reply", exact=True).first.click()  # desk.js fetches the form
    form = watched.locator("#action-reply form")
    form.get_by_label("Reply").fill("On our way.")
    form.get_by_role("button", name="Reply").click()
    watched.wait_for_selector(".ws-thread >> text=On our way.")
    assert violations(watched) == [], "\n".join(violations(watched))


def test_the_customers_request_page_works_under_the_policy(live_server, watched):
    carol = make_user("carol")
    ticket = new_ticket(customer=carol, subject="Broken kettle")
    watched.goto(live_server.url + "/accounts/login/")
    watched.get_by_label("Username").fill("carol")
    watched.get_by_label("Password").fill(PASSWORD)
    watched.get_by_role("button", name="Log in").click()
    open_strict(watched, live_server.url + f"/my-requests/{ticket.number}/")
    watched.get_by_text("Broken kettle").first.wait_for()
    assert violations(watched) == [], "\n".join(violations(watched))


def test_wagtails_inline_panels_still_add_rows_in_the_admin(live_server, watched):
    from django.contrib.auth import get_user_model

    get_user_model().objects.create_superuser("root", "root@example.com", PASSWORD)
    watched.goto(live_server.url + "/admin/login/")
    watched.get_by_label("Username").fill("root")
    watched.get_by_label("Password").fill(PASSWORD)
    watched.get_by_role("button", name="Sign in").click()
    watched.wait_for_url("**/admin/")
    response = watched.goto(live_server.url + "/admin/support_workflows/new/")
    assert "'unsafe-inline'" in response.headers["content-security-policy"].split(";")[1]
    before = watched.locator("#id_states-TOTAL_FORMS").input_value()
    watched.locator("#id_states-ADD").click()
    watched.wait_for_function(
        f"document.querySelector('#id_states-TOTAL_FORMS').value !== '{before}'"
    )
    assert violations(watched) == [], "\n".join(violations(watched))
