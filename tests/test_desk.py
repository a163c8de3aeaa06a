"""The agent's desk: inbox, ticket page, actions by POST, attachments, new tickets."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from tests.utils import admin_login, make_agent, make_user, new_ticket, reload, upload
from wagtail_support import tracking
from wagtail_support.models import Message, MessageKind, Priority, State, Ticket
from wagtail_support.workflows.engine import perform

pytestmark = pytest.mark.django_db

INBOX = reverse("support_desk:inbox")


@pytest.fixture
def anna():
    return make_agent("anna", groups=["First line support"])


@pytest.fixture
def carol():
    return make_user("carol")


def numbers(response):
    return [t.number for t in response.context["object_list"]]


def test_the_inbox_lists_urgent_and_old_first_and_marks_unread(client, anna, carol):
    old = new_ticket(customer=carol, subject="Old")
    urgent = new_ticket(customer=carol, subject="Urgent", priority=Priority.URGENT)
    new = new_ticket(customer=carol, subject="New")
    tracking.mark_read(new, anna)
    response = admin_login(client, anna).get(INBOX)
    assert numbers(response) == [urgent.number, old.number, new.number]
    html = response.content.decode()
    assert html.count('class="ws-unread"') == 2
    assert html.count('class="ws-state" style="border-color: #2563eb') == 3  # the state's colour


@pytest.mark.parametrize(
    ("list_key", "expected"),
    [("mine", {"A"}), ("unassigned", {"U"}), ("following", {"U"}), ("spam", {"S"}),
     ("my-groups", {"G"}), ("unread", {"A", "G", "U"})],
)  # fmt: skip
def test_built_in_lists(client, anna, carol, list_key, expected):
    mine = new_ticket(customer=carol, subject="A")
    perform(mine, mine.workflow.actions.get(slug="take"), anna, {})
    group = new_ticket(customer=carol, subject="G")
    group.assigned_group = Group.objects.get(name="First line support")
    group.save()
    loose = new_ticket(customer=carol, subject="U")
    tracking.follow(loose, anna)
    new_ticket(customer=carol, subject="S", is_spam=True)
    response = admin_login(client, anna).get(INBOX, {"list": list_key})
    assert {t.subject for t in response.context["object_list"]} == expected


def test_filters_search_and_sorting_use_an_allowlist(client, anna, carol):
    a = new_ticket(customer=carol, subject="Printer jam", priority=Priority.HIGH)
    b = new_ticket(email="zed@example.org", subject="Login fails", text="password reset loops")
    admin_login(client, anna)
    assert numbers(client.get(INBOX, {"priority": Priority.HIGH})) == [a.number]
    assert numbers(client.get(INBOX, {"q": "reset loops"})) == [b.number]
    assert numbers(client.get(INBOX, {"customer": "zed@"})) == [b.number]
    assert numbers(client.get(INBOX, {"ordering": "subject"})) == [b.number, a.number]
    # An unknown sort key (e.g. probing a related user's password) falls back to the default.
    response = client.get(INBOX, {"ordering": "customer__password"})
    assert response.status_code == 200 and numbers(response) == [a.number, b.number]


def test_the_inbox_costs_the_same_queries_at_25_and_100_rows(client, anna, carol, settings):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for i in range(100):
        ticket = new_ticket(customer=carol, subject=f"T{i}")
        tracking.follow(ticket, make_agent(f"f{i}"))
        perform(ticket, ticket.workflow.actions.get(slug="note"), anna, {"message": "n"})
    admin_login(client, anna).get(INBOX)  # warms the per-process caches (site, permissions)
    counts = {}
    for rows in (25, 100):
        settings.WAGTAIL_SUPPORT_PAGE_SIZE = rows
        with CaptureQueriesContext(connection) as captured:
            response = client.get(INBOX)
        assert len(response.context["object_list"]) == rows
        counts[rows] = len(captured)
    # The capped count, the page's ids, then those rows (InboxView.paginate_queryset).
    assert counts[25] == counts[100] <= 13, counts


def test_a_long_list_counts_up_to_a_limit_and_pages_on_past_it(
    client, anna, carol, settings, monkeypatch
):
    from wagtail_support.paging import CappedPaginator

    settings.WAGTAIL_SUPPORT_PAGE_SIZE = 2
    monkeypatch.setattr(CappedPaginator, "limit", 3)
    in_order = [new_ticket(customer=carol, subject=f"T{i}").number for i in range(7)]
    admin_login(client, anna)
    first = client.get(INBOX)
    assert numbers(first) == in_order[:2]
    html = first.content.decode()
    assert "More than 3 tickets" in html and "More than 3 matches" not in html
    pages = [numbers(client.get(INBOX, {"p": p})) for p in (2, 3, 4)]
    assert pages == [in_order[2:4], in_order[4:6], in_order[6:]]
    third, last = client.get(INBOX, {"p": 3}), client.get(INBOX, {"p": 4})
    assert third.context["page_obj"].has_next() and third.context["page_obj"].has_previous()
    assert not last.context["page_obj"].has_next()
    assert "?p=3" in last.content.decode().split('class="prev"')[1].split("</li>")[0]
    assert numbers(client.get(INBOX, {"p": 9})) == in_order[2:4]  # no such page: one it knows
    # A short list keeps its exact count.
    assert "1 ticket" in client.get(INBOX, {"q": in_order[0]}).content.decode()


def test_sorting_by_state_follows_the_workflow_order_and_its_changes(client, anna, carol):
    low = new_ticket(customer=carol, subject="Low", priority=Priority.LOW)
    urgent = new_ticket(customer=carol, subject="Urgent", priority=Priority.URGENT)
    done = new_ticket(customer=carol, subject="Done", priority=Priority.LOW)
    perform(done, done.workflow.actions.get(slug="resolve"), anna, {"resolution": "Fixed"})
    admin_login(client, anna)
    by_state = {"ordering": "state__sort_order"}
    assert numbers(client.get(INBOX, by_state)) == [urgent.number, low.number, done.number]
    # Descending by state is the whole list reversed.
    assert numbers(client.get(INBOX, {"ordering": "-state__sort_order"})) == [
        done.number,
        low.number,
        urgent.number,
    ]
    resolved = reload(done).state
    resolved.sort_order = -1  # moved to the top of its workflow
    resolved.save()
    assert numbers(client.get(INBOX, by_state)) == [done.number, urgent.number, low.number]


def test_an_agent_gets_404_for_a_ticket_in_a_state_their_groups_may_not_see(client, carol):
    ticket = new_ticket(customer=carol)
    waiting = State.objects.get(workflow__slug="support", slug="waiting")
    waiting.visible_to_groups.add(Group.objects.get_or_create(name="Accounting")[0])
    waiting.save()
    ticket.state = waiting
    ticket.save()
    outsider = make_agent("outsider", groups=["First line support"])
    admin_login(client, outsider)
    assert client.get(reverse("support_desk:ticket", args=[ticket.pk])).status_code == 404
    assert ticket.number not in client.get(INBOX).content.decode()


def test_customers_and_anonymous_users_cannot_reach_the_desk(client, carol):
    ticket = new_ticket(customer=carol)
    assert client.get(INBOX).status_code == 302  # to the admin login
    admin_login(client, carol)
    assert client.get(INBOX).status_code in (302, 403)
    assert client.get(reverse("support_desk:ticket", args=[ticket.pk])).status_code in (302, 403)


def test_the_ticket_page_shows_thread_notes_history_and_the_allowed_actions(client, anna, carol):
    ticket = new_ticket(customer=carol, text="My printer is on fire")
    perform(
        ticket, ticket.workflow.actions.get(slug="note"), anna, {"message": "Call the fire brigade"}
    )
    response = admin_login(client, anna).get(reverse("support_desk:ticket", args=[ticket.pk]))
    html = response.content.decode()
    assert "My printer is on fire" in html and "Call the fire brigade" in html
    assert 'class="ws-message ws-message--note"' in html
    slugs = [action.slug for action, _form, _open in response.context["action_forms"]]
    assert "reply" in slugs and "delete" not in slugs and "reopen" not in slugs
    assert not tracking.is_unread(ticket, anna)  # opening it marks it read


def test_performing_reply_by_post_writes_the_reply(client, anna, carol):
    ticket = new_ticket(customer=carol)
    url = reverse("support_desk:ticket", args=[ticket.pk])
    response = admin_login(client, anna).post(
        url, {"action": "reply", "version": ticket.version, "message": "On our way."}
    )
    assert response.status_code == 302
    assert Message.objects.get(text="On our way.").kind == MessageKind.REPLY
    assert reload(ticket).state.slug == "in-progress"


def test_a_stale_form_is_refused_and_keeps_the_typed_text(client, anna, carol):
    ticket = new_ticket(customer=carol)
    stale = ticket.version
    perform(ticket, ticket.workflow.actions.get(slug="take"), make_agent("boris"), {})
    url = reverse("support_desk:ticket", args=[ticket.pk])
    response = admin_login(client, anna).post(
        url, {"action": "reply", "version": stale, "message": "My long careful answer"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Someone else changed ticket" in html and "My long careful answer" in html
    assert not Message.objects.filter(text="My long careful answer").exists()


def test_an_invalid_action_form_shows_its_errors(client, anna, carol):
    ticket = new_ticket(customer=carol)
    url = reverse("support_desk:ticket", args=[ticket.pk])
    response = admin_login(client, anna).post(url, {"action": "resolve", "version": ticket.version})
    assert response.status_code == 200
    opened = [(a.slug, form) for a, form, is_open in response.context["action_forms"] if is_open]
    assert [slug for slug, _form in opened] == ["resolve"]
    assert "resolution" in opened[0][1].errors


def test_an_action_form_is_built_only_when_it_is_opened(client, anna, carol):
    ticket = new_ticket(customer=carol)
    url = reverse("support_desk:ticket", args=[ticket.pk])
    page = admin_login(client, anna).get(url)
    html = page.content.decode()
    assert [form for _a, form, _o in page.context["action_forms"]] == [None] * len(
        page.context["action_forms"]
    )
    assert 'name="message"' not in html and 'name="action"' not in html
    fragment = reverse("support_desk:ticket_action", args=[ticket.pk, "reply"])
    assert f'data-ws-action-url="{fragment}?version={ticket.version}"' in html
    assert 'href="?open=reply#action-reply"' in html  # without scripts, the page opens it

    # The form carries the version the page showed: a change since then is refused.
    stale = ticket.version
    perform(ticket, ticket.workflow.actions.get(slug="take"), make_agent("boris"), {})
    form = client.get(fragment, {"version": stale}).content.decode()
    assert 'name="message"' in form and f'name="version" value="{stale}"' in form
    assert "<html" not in form
    response = client.post(url, {"action": "reply", "version": stale, "message": "Late"})
    assert response.status_code == 200 and not Message.objects.filter(text="Late").exists()

    opened = client.get(url, {"open": "reply"})
    assert [a.slug for a, form, is_open in opened.context["action_forms"] if is_open] == ["reply"]
    assert 'name="message"' in opened.content.decode()
    # Actions not offered now, and tickets the agent can't see, have no form to fetch.
    reopen = reverse("support_desk:ticket_action", args=[ticket.pk, "reopen"])
    assert client.get(reopen).status_code == 404
    hidden = new_ticket(customer=carol)
    hidden.state = State.objects.get(workflow__slug="support", slug="waiting")
    hidden.state.visible_to_groups.add(Group.objects.get_or_create(name="Accounting")[0])
    hidden.state.save()
    hidden.save()
    other = reverse("support_desk:ticket_action", args=[hidden.pk, "reply"])
    assert client.get(other).status_code == 404


def test_the_history_reads_each_change(client, anna, carol):
    ticket = new_ticket(customer=carol)
    perform(ticket, ticket.workflow.actions.get(slug="take"), anna, {})
    perform(ticket, ticket.workflow.actions.get(slug="resolve"), anna, {"resolution": "Fixed"})
    page = admin_login(client, anna).get(reverse("support_desk:ticket", args=[ticket.pk]))
    lines = [event.text for event in page.context["history"]]
    assert [line for line in lines if line.startswith("State changed: ")][-1].endswith(
        " → Resolved"
    ), "\n".join(lines)
    assert "Field changed: resolution — → Fixed" in lines
    assert "Assignment changed: anna" in lines
    assert "Action performed: Resolve; resolution = Fixed" in lines
    assert "Action performed: Resolve; resolution = Fixed" in page.content.decode()


def test_a_change_to_an_action_reaches_the_next_page_at_once(client, anna, carol):
    """Actions are kept per process (workflows/kept_actions.py) until one changes."""
    ticket = new_ticket(customer=carol)
    url = reverse("support_desk:ticket", args=[ticket.pk])

    def offered():
        return [a.slug for a, _f, _o in client.get(url).context["action_forms"]]

    admin_login(client, anna)
    assert "reply" in offered()
    accounting = Group.objects.create(name="Accounting")
    reply = ticket.workflow.actions.get(slug="reply")
    reply.allowed_groups.add(accounting)
    reply.save()
    assert "reply" not in offered()
    accounting.delete()  # the group goes, and with it the restriction
    assert "reply" in offered()


def test_assignee_only_actions_are_refused_to_other_agents(client, anna, carol):
    ticket = new_ticket(customer=carol)
    reply = ticket.workflow.actions.get(slug="reply")
    reply.assignee_only = True
    reply.save()
    perform(ticket, ticket.workflow.actions.get(slug="take"), make_agent("boris"), {})
    url = reverse("support_desk:ticket", args=[ticket.pk])
    page = admin_login(client, anna).get(url)
    assert "reply" not in [a.slug for a, _f, _o in page.context["action_forms"]]
    client.post(url, {"action": "reply", "version": reload(ticket).version, "message": "Mine!"})
    assert not Message.objects.filter(text="Mine!").exists()


def test_follow_and_mark_unread_are_posts(client, anna, carol):
    ticket = new_ticket(customer=carol)
    admin_login(client, anna)
    follow = reverse("support_desk:follow", args=[ticket.pk])
    assert client.get(follow).status_code == 405
    client.post(follow, {"follow": "1"})
    assert list(tracking.followers(ticket)) == [anna]
    client.get(reverse("support_desk:ticket", args=[ticket.pk]))
    assert client.get(reverse("support_desk:mark_unread", args=[ticket.pk])).status_code == 405
    client.post(reverse("support_desk:mark_unread", args=[ticket.pk]))
    assert tracking.is_unread(ticket, anna)


def test_attachments_download_only_for_agents_who_see_the_ticket(client, anna, carol):
    ticket = new_ticket(customer=carol, files=[upload("invoice.html", content_type="text/html")])
    attachment = ticket.attachments.get()
    url = reverse("support_desk:attachment", args=[attachment.pk])
    response = admin_login(client, anna).get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Content-Type"] == "application/octet-stream"
    client.logout()
    admin_login(client, carol)
    assert client.get(url).status_code in (302, 403, 404)


def test_an_agent_enters_a_phone_request_with_subject_and_contact_only(client, anna):
    admin_login(client, anna)
    response = client.post(
        reverse("support_desk:new_ticket"),
        {"source": Ticket.source.field.related_model.objects.get(slug="phone").pk,
         "subject": "Caller cannot log in", "email": "caller@example.net",
         "priority": Priority.NORMAL},
    )  # fmt: skip
    ticket = Ticket.objects.get(subject="Caller cannot log in")
    assert response.status_code == 302 and ticket.number.startswith("TEL-")
    response = client.post(
        reverse("support_desk:new_ticket"),
        {"source": ticket.source_id, "subject": "No contact", "priority": Priority.NORMAL},
    )
    assert "Choose the customer or give their e-mail address." in response.content.decode()


def test_a_phone_request_takes_an_internationalised_address(client, anna):
    admin_login(client, anna)
    phone = Ticket.source.field.related_model.objects.get(slug="phone")
    response = client.post(
        reverse("support_desk:new_ticket"),
        {"source": phone.pk, "subject": "Звонок", "email": "пётр@пример.рф",
         "priority": Priority.NORMAL},
    )  # fmt: skip
    assert response.status_code == 302
    assert Ticket.objects.get(subject="Звонок").customer_email == "пётр@пример.рф"


def test_the_ticket_page_costs_the_same_queries_whatever_the_thread_length(
    client, anna, carol, django_assert_max_num_queries
):
    ticket = new_ticket(customer=carol)
    url = reverse("support_desk:ticket", args=[ticket.pk])
    admin_login(client, anna).get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count():
        with CaptureQueriesContext(connection) as captured:
            client.get(url)
        return len(captured)

    few = count()
    for i in range(30):
        perform(
            reload(ticket), ticket.workflow.actions.get(slug="note"), anna, {"message": f"n{i}"}
        )
    assert count() == few


@pytest.mark.parametrize("mode", ["list", "board"])
def test_list_and_board_views_show_the_same_tickets(client, anna, carol, mode):
    first = new_ticket(customer=carol, subject="Paper jam", text="The tray is stuck")
    second = new_ticket(customer=carol, subject="Toner")
    perform(second, second.workflow.actions.get(slug="reply"), anna, {"message": "Ordered"})
    response = admin_login(client, anna).get(INBOX, {"view": mode})
    html = response.content.decode()
    assert first.number in html and second.number in html
    if mode == "list":
        assert "Ordered" in html  # the last public message's excerpt
    else:
        columns = [state.slug for state, _tickets in response.context["board"]]
        assert columns == ["new", "in-progress"]


def test_agents_see_who_else_is_viewing_or_answering(client, anna, carol):
    from django.core.cache import cache

    cache.clear()
    boris = make_agent("boris")
    boris.first_name = "Boris"
    boris.save()
    ticket = new_ticket(customer=carol)
    url = reverse("support_desk:ticket", args=[ticket.pk])
    admin_login(client, boris).get(url)
    client.logout()
    page = admin_login(client, anna).get(url)
    assert page.context["others_here"] == [{"name": "Boris", "activity": "viewing"}]
    client.logout()
    admin_login(client, boris)
    beat = client.post(
        reverse("support_desk:presence", args=[ticket.pk]), {"activity": "answering"}
    )
    assert beat.json() == {"others": [{"name": "anna", "activity": "viewing"}]}
    client.logout()
    admin_login(client, anna)
    assert "Boris is answering this ticket" in client.get(url).content.decode()


def test_custom_field_values_complexity_and_update_range_filter_the_inbox(client, anna, carol):
    fixed = new_ticket(customer=carol, subject="Fixed one")
    perform(fixed, fixed.workflow.actions.get(slug="resolve"), anna, {"resolution": "Fixed"})
    other = new_ticket(customer=carol, subject="Answered one")
    perform(other, other.workflow.actions.get(slug="resolve"), anna, {"resolution": "Answered"})
    complex_ = new_ticket(customer=carol, subject="Hard")
    perform(
        complex_, complex_.workflow.actions.get(slug="details"), anna,
        {"priority": Priority.NORMAL, "complexity": 3, "kind": "incident"},
    )  # fmt: skip
    admin_login(client, anna)
    assert numbers(client.get(INBOX, {"field": "resolution", "field_value": "fix"})) == [
        fixed.number
    ]
    assert len(numbers(client.get(INBOX, {"field": "resolution"}))) == 2
    assert numbers(client.get(INBOX, {"complexity": 3})) == [complex_.number]
    # A key no action defines is refused by the form instead of reaching the JSON lookup.
    response = client.get(INBOX, {"field": "password"})
    assert len(numbers(response)) == 3
    assert numbers(client.get(INBOX, {"last_activity_at_from": "2000-01-01"})) != []
    assert numbers(client.get(INBOX, {"last_activity_at_to": "2000-01-01"})) == []
