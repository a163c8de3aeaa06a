"""Support hours for customers (R-SL2): the schedule block on a page, "open now" / "opens at",
coming holidays, the visitor's language, and the hours above a contact form."""

import datetime as dt

import pytest
from django.utils import translation
from wagtail.models import Page, Site

from tests.sla_utils import office_schedule, warsaw
from tests.testapp.models import StreamPage
from wagtail_support.models import Source
from wagtail_support.sla import business_time as bt
from wagtail_support.sla import hours

pytestmark = pytest.mark.django_db


@pytest.fixture
def office():
    return office_schedule()


@pytest.fixture
def page(office):
    root = Page.get_first_root_node()
    page = root.add_child(
        instance=StreamPage(
            title="Support",
            slug="support",
            body=[
                ("schedule", {"schedule": str(office.pk), "heading": "Hours", "show_status": True}),
                ("contact_form", {"source": "website", "heading": "Write to us"}),
            ],
        )
    )
    site = Site.objects.get(is_default_site=True)
    site.root_page = page
    site.save()
    return page


def test_status_says_open_until_or_when_it_opens_next(office):
    plain = office.business_schedule
    tuesday_noon = warsaw("2026-11-10 12:00")
    assert hours.status(plain, tuesday_noon) == hours.Status(True, warsaw("2026-11-10 17:00"), None)
    # Tuesday evening: the 11th is a holiday, so the next opening is Thursday morning.
    evening = hours.status(plain, warsaw("2026-11-10 18:00"))
    assert not evening.open and evening.opens == warsaw("2026-11-12 09:00")
    always = bt.Schedule("UTC", always_open=True)
    assert hours.status(always, tuesday_noon) == hours.Status(True, None, None)


def test_an_overnight_shift_stays_open_across_midnight():
    night = bt.Schedule(
        "Europe/Moscow", {0: (bt.Interval(dt.time(22), dt.time(6)),)}, special_days=()
    )
    monday_late = dt.datetime(2026, 11, 23, 23, 30, tzinfo=night.zone)
    assert hours.status(night, monday_late).until == monday_late.replace(day=24, hour=6, minute=0)


def test_the_block_shows_hours_status_and_holidays(client, page, clock):
    clock.set("2026-11-10 18:00")
    html = client.get(page.url).content.decode()
    assert "Hours" in html and "Monday" in html and "Sunday" in html
    assert "Closed now · opens on Thursday" in html
    assert "Europe/Warsaw" in html
    assert "closed" in html  # the weekend, and the holiday among coming special days


def test_the_block_speaks_the_visitors_language(rf, page, office, clock):
    from wagtail_support.blocks.schedule import ScheduleBlock

    clock.set("2026-11-10 12:00")
    block = ScheduleBlock()
    value = block.to_python({"schedule": str(office.pk), "heading": "", "show_status": True})
    with translation.override("pl"):
        html = block.render(value, {"request": rf.get("/")})
    assert "Poniedziałek" in html and "Teraz czynne" in html
    with translation.override("ru"):
        html = block.render(value, {"request": rf.get("/")})
    assert "Понедельник" in html


def test_a_contact_form_shows_its_sources_hours(client, page, office, clock):
    clock.set("2026-11-10 12:00")
    source = Source.objects.get(slug="website")
    source.schedule = office
    source.save()
    html = client.get(page.url).content.decode()
    form_part = html[html.index('id="support-form-1"') :]
    assert "Open now, until" in form_part
