import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_visitor_signs_up_logs_out_and_logs_back_in(live_server, page):
    call_command("load_demo_data", quiet_logins=True)
    page.goto(live_server.url + "/")
    header = page.locator("header")
    assert header.get_by_role("link", name="Log in").is_visible()

    header.get_by_role("link", name="Sign up").click()
    page.get_by_label("Username").fill("erin")
    page.get_by_label("E-mail").fill("erin@example.com")
    page.get_by_label("Password:", exact=True).fill("a-long-pass-phrase-9")
    page.get_by_label("Password confirmation").fill("a-long-pass-phrase-9")
    page.get_by_role("button", name="Create my account").click()

    page.wait_for_url("**/accounts/")
    assert page.get_by_role("heading", name="My account").is_visible()
    assert header.get_by_role("link", name="My account").is_visible()
    assert get_user_model().objects.get(username="erin").email == "erin@example.com"

    header.get_by_role("button", name="Log out").click()
    assert header.get_by_role("link", name="Log in").is_visible()

    header.get_by_role("link", name="Log in").click()
    page.get_by_label("Username").fill("erin")
    page.get_by_label("Password").fill("a-long-pass-phrase-9")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/accounts/")
    assert header.get_by_role("link", name="My account").is_visible()
