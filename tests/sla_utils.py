"""Helpers for SLA tests: a clock the tests move, and a Warsaw office schedule with a level."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from wagtail_support.models import (
    ScheduleHours,
    ServiceLevel,
    ServiceLevelTarget,
    SpecialDay,
    SupportSchedule,
)

WARSAW = ZoneInfo("Europe/Warsaw")


def warsaw(text):
    return dt.datetime.fromisoformat(text).replace(tzinfo=WARSAW)


class Clock:
    def __init__(self, start):
        self.now = start

    def __call__(self):
        return self.now

    def set(self, text_or_instant):
        self.now = warsaw(text_or_instant) if isinstance(text_or_instant, str) else text_or_instant

    def advance(self, **delta):
        self.now += dt.timedelta(**delta)


@pytest.fixture
def clock(monkeypatch):
    """Every timezone.now() (auto_now fields, the engine, the scans) reads this clock."""
    fake = Clock(warsaw("2026-11-10 09:00"))
    monkeypatch.setattr(timezone, "now", fake)
    return fake


def office_schedule(name="Warsaw office"):
    """Monday to Friday 9:00-17:00 in Warsaw, closed on 11 November every year."""
    schedule = SupportSchedule.objects.create(name=name, time_zone="Europe/Warsaw")
    for day in range(5):
        ScheduleHours.objects.create(
            schedule=schedule, weekday=day, start=dt.time(9), end=dt.time(17)
        )
    SpecialDay.objects.create(
        schedule=schedule, date=dt.date(2026, 11, 11), name="Independence Day", yearly=True
    )
    return schedule


def make_level(
    name="Standard",
    *,
    schedule=None,
    first=None,
    next_=None,
    resolution=None,
    priority=None,
    default=True,
    order=0,
    warning=30,
    **conditions,
):
    level = ServiceLevel.objects.create(
        name=name,
        schedule=schedule,
        is_default=default,
        sort_order=order,
        warning_minutes=warning,
        priorities=conditions.pop("priorities", []),
    )
    for field, values in conditions.items():
        getattr(level, field).set(values)
    level.save()
    ServiceLevelTarget.objects.create(
        level=level,
        priority=priority,
        first_response_minutes=first,
        next_response_minutes=next_,
        resolution_minutes=resolution,
    )
    return level
