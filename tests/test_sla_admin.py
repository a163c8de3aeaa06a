"""Service-level configuration screens, and what agents see of the clocks in the inbox and on the
ticket page."""

import datetime as dt

import pytest
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from tests.sla_utils import make_level, office_schedule
from tests.utils import PASSWORD, admin_login, make_agent, make_user, new_ticket, reload
from wagtail_support.models import Priority, Service, ServiceLevel, SupportSchedule
from wagtail_support.sla import business_time as bt

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.login(username=make_user("admin", superuser=True).username, password=PASSWORD)
    return client


def schedule_form(**extra):
    return nested_form_data(
        {
            "name": "Night shift",
            "time_zone": "Europe/Moscow",
            "description": "",
            "hours": inline_formset(
                [
                    {"weekday": 0, "start": "22:00", "end": "06:00"},
                    {"weekday": 1, "start": "09:00", "end": "13:00"},
                    {"weekday": 1, "start": "14:00", "end": "18:00"},
                ]
            ),
            "special_days": inline_formset(
                [{"date": "2026-12-31", "name": "New Year's Eve", "yearly": "on", "closed": "on"}]
            ),
            **extra,
        }
    )


def test_a_schedule_with_hours_and_holidays_is_edited_as_one_unit(admin_client):
    response = admin_client.post(reverse("support_schedules:add"), schedule_form())
    assert response.status_code == 302, response.content.decode()[:2000]
    schedule = SupportSchedule.objects.get(name="Night shift")
    plain = schedule.business_schedule
    monday_night = dt.datetime(2026, 11, 23, 23, 0, tzinfo=plain.zone)
    assert bt.is_open(plain, monday_night)
    assert not bt.is_open(plain, monday_night.replace(day=24, hour=13, minute=30))
    assert plain.intervals_on(dt.date(2027, 12, 31)) == ()


def test_an_unknown_time_zone_is_refused_with_nothing_saved(admin_client):
    response = admin_client.post(
        reverse("support_schedules:add"), schedule_form(time_zone="Mars/Olympus")
    )
    assert response.status_code == 200 and not SupportSchedule.objects.exists()


def test_a_level_with_conditions_and_targets_and_only_one_default(admin_client):
    schedule = office_schedule()
    make_level("Standard")

    def level_form(name, **extra):
        data = nested_form_data(
            {
                "name": name,
                "schedule": schedule.pk,
                "sort_order": 1,
                "description": "",
                "warning_minutes": 20,
                "active": "on",
                "targets": inline_formset(
                    [
                        {
                            "priority": "",
                            "first_response_minutes": 60,
                            "next_response_minutes": 120,
                            "resolution_minutes": 480,
                        }
                    ],
                    min=1,
                ),
                **extra,
            }
        )
        data["priorities"] = [Priority.HIGH, Priority.URGENT]  # a list, not nested forms
        return data

    refused = admin_client.post(
        reverse("support_service_levels:add"), level_form("Second default", is_default="on")
    )
    assert refused.status_code == 200 and "already the default level" in refused.content.decode()
    response = admin_client.post(reverse("support_service_levels:add"), level_form("Urgent work"))
    assert response.status_code == 302
    level = ServiceLevel.objects.get(name="Urgent work")
    assert level.priorities == [Priority.HIGH, Priority.URGENT]
    assert level.targets.get().resolution_minutes == 480
    urgent = reload(new_ticket(email="u@example.com", priority=Priority.URGENT))
    assert urgent.service_level == level


def test_the_catalog_lists_services_with_their_tickets(admin_client):
    service = Service.objects.create(name="Printers")
    ticket = new_ticket(email="p@example.com")
    ticket.service = service
    ticket.save()
    html = admin_client.get(reverse("support_services:index")).content.decode()
    assert "Printers" in html and "1 ticket (1 open)" in html
    inbox = admin_client.get(reverse("support_desk:inbox"), {"service": service.pk})
    assert ticket.number in inbox.content.decode()


def test_the_inbox_shows_time_left_and_sorts_at_risk_first(client, clock):
    make_level("Round the clock", first=240)
    agent = make_agent("anna", perms=("view_all_tickets",))
    admin_login(client, agent)
    calm = new_ticket(email="calm@example.com", subject="Calm request")
    clock.advance(minutes=200)
    late = new_ticket(email="late@example.com", subject="Late request", priority=Priority.LOW)
    clock.advance(minutes=60)  # the first is 20 minutes overdue, the second has 180 left

    html = client.get(reverse("support_desk:inbox"), {"ordering": "sla_due"}).content.decode()
    assert html.index(calm.number) < html.index(late.number)
    assert "overdue by 20" in html and "in 3" in html
    overdue = client.get(reverse("support_desk:inbox"), {"list": "overdue"}).content.decode()
    assert calm.number in overdue and late.number not in overdue


def test_the_ticket_page_shows_the_level_its_clocks_and_what_was_achieved(client, clock):
    make_level("Gold", first=60, resolution=600)
    agent = make_agent("anna", perms=("view_all_tickets",))
    admin_login(client, agent)
    ticket = new_ticket(email="g@example.com")
    url = reverse("support_desk:ticket", args=[ticket.pk])
    html = client.get(url).content.decode()
    assert "Gold" in html and "First response" in html and "in 1" in html

    clock.advance(minutes=75)
    html = client.get(url).content.decode()
    assert "overdue by 15" in html
    from wagtail_support.workflows.engine import perform

    perform(reload(ticket), ticket.workflow.actions.get(slug="reply"), agent, {"message": "Hi"})
    html = client.get(url).content.decode()
    assert "took 75 business minutes" in html and "breached" in html


def test_the_inbox_says_paused_while_waiting_and_nothing_once_resolved(client, clock):
    from wagtail_support.workflows.engine import perform

    make_level("Round the clock", first=240)
    agent = make_agent("anna", perms=("view_all_tickets",))
    admin_login(client, agent)
    ticket = new_ticket(email="w@example.com")
    ask = ticket.workflow.actions.get(slug="ask")
    perform(reload(ticket), ask, agent, {"message": "Which model?"})
    html = client.get(reverse("support_desk:inbox")).content.decode()
    assert "ws-due--paused" in html
    resolve = ticket.workflow.actions.get(slug="resolve")
    ticket = reload(ticket)
    perform(ticket, resolve, agent, {"resolution": "Answered", "message": "Done"})
    html = client.get(reverse("support_desk:inbox")).content.decode()
    assert "ws-due--paused" not in html.split("<tbody", 1)[1]
