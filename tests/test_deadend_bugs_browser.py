"""In a browser: saving the inbox as a filter after typing in the live search keeps the search
(the page is not reloaded, so the form must read the list's address when it is sent)."""

import pytest
from django.contrib.auth.models import Permission

from tests.utils import PASSWORD, make_agent, make_user, new_ticket
from wagtail_support.models import SavedFilter, Ticket

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_filter_saved_after_a_live_search_keeps_the_search(live_server, page):
    agent = make_agent("anna")
    agent.user_permissions.add(Permission.objects.get(codename="access_admin"))
    carol = make_user("carol")
    wanted = new_ticket(customer=carol, subject="Parcel never arrived")
    other = new_ticket(customer=carol, subject="Invoice twice")
    not_mine = new_ticket(customer=carol, subject="Parcel damaged")
    Ticket.objects.filter(pk__in=[wanted.pk, other.pk]).update(assignee=agent)

    page.goto(live_server.url + "/admin/login/")
    page.get_by_label("Username").fill("anna")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    page.goto(live_server.url + "/admin/support_desk/?list=mine")
    page.wait_for_selector(f"text={other.number}")
    page.get_by_role("textbox", name="Search").fill("parcel")
    # The live search swaps the results in place and writes the search into the address.
    page.wait_for_function("() => window.location.search.includes('q=parcel')")
    page.wait_for_selector(f"text={other.number}", state="detached")
    # Still the agent's own list: the live search keeps it.
    assert "list=mine" in page.evaluate("window.location.search")
    assert page.locator(f"text={not_mine.number}").count() == 0

    page.locator(".ws-save-filter summary").click()
    form = page.locator("form[data-ws-save-filter]")
    form.get_by_label("Name").fill("Parcels")
    form.get_by_role("button", name="Save filter").click()
    page.wait_for_selector(f"text={wanted.number}")

    saved = SavedFilter.objects.get(name="Parcels")
    assert saved.criteria.get("q") in ("parcel", ["parcel"])
    assert saved.criteria.get("list") in ("mine", ["mine"])
    for hidden in (other, not_mine):
        assert page.locator(f"text={hidden.number}").count() == 0
