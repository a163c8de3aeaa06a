"""Support hours as customers read them (R-SL2): the weekly table, coming holidays and special
days, and whether support is open now or when it opens next. Shared by the schedule block and the
contact form's preamble."""

import datetime as dt
from dataclasses import dataclass

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from . import business_time as bt

UPCOMING_DAYS = 45


@dataclass(frozen=True)
class Status:
    open: bool
    until: dt.datetime | None  # closing time when open (local to the schedule)
    opens: dt.datetime | None  # next opening when closed (local to the schedule)


def _time(value):
    return formats.time_format(value, "TIME_FORMAT")


def interval_text(interval):
    if interval.start == interval.end:
        return _("round the clock")
    return f"{_time(interval.start)}\u2013{_time(interval.end)}"


def weekly_table(schedule):
    """[(weekday name, [interval texts])] from Monday to Sunday; an empty list: closed."""
    from ..models.sla import Weekday

    return [
        (str(label), [interval_text(i) for i in schedule.weekly.get(day, ())])
        for day, label in Weekday.choices
    ]


def upcoming_special_days(schedule, today, days=UPCOMING_DAYS):
    """[(date, [interval texts])] of special days within ``days`` from ``today``."""
    found = []
    for offset in range(days):
        day = today + dt.timedelta(days=offset)
        specials = [
            s
            for s in schedule.special_days
            if s.date == day or (s.yearly and (s.date.month, s.date.day) == (day.month, day.day))
        ]
        if specials:
            found.append((day, [interval_text(i) for i in schedule.intervals_on(day)]))
    return found


def status(schedule, now=None):
    now = now or timezone.now()
    zone = schedule.zone
    for start, end in bt.working_periods(schedule, now, now + dt.timedelta(days=8)):
        if start <= now:
            closing = _closing(schedule, end)
            return Status(True, closing.astimezone(zone) if closing else None, None)
        return Status(False, None, start.astimezone(zone))
    try:
        return Status(False, None, bt.next_opening(schedule, now).astimezone(zone))
    except ValueError:
        return Status(False, None, None)


def _closing(schedule, end):
    """When support closes, ``end`` being where a week's look-ahead stopped; None when it does
    not close within a month (round the clock)."""
    for _week in range(4):
        later = list(bt.working_periods(schedule, end, end + dt.timedelta(days=8)))
        if not later or later[0][0] > end:
            return end
        end = later[0][1]
    return None
