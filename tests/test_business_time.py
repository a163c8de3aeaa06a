"""Business-time arithmetic: properties over random schedules, and fixed cases across clock
changes in Warsaw, Moscow and New York."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from wagtail_support.sla.business_time import (
    Interval,
    Schedule,
    SpecialDay,
    add_business_minutes,
    business_minutes_between,
    is_open,
    next_opening,
    to_utc,
)

UTC = dt.UTC
ZONES = ["Europe/Warsaw", "Europe/Moscow", "America/New_York", "UTC"]


def t(text):
    return dt.time.fromisoformat(text)


def at(zone, text):
    """An aware instant from a wall-clock reading in ``zone``."""
    return dt.datetime.fromisoformat(text).replace(tzinfo=ZoneInfo(zone))


OFFICE = {day: (Interval(t("09:00"), t("17:00")),) for day in range(5)}

# -- properties -------------------------------------------------------------------------------

quarter_hours = st.integers(0, 95).map(lambda q: dt.time(q // 4, (q % 4) * 15))
intervals = st.builds(Interval, quarter_hours, quarter_hours)
weekly = st.dictionaries(st.integers(0, 6), st.lists(intervals, max_size=2).map(tuple), max_size=7)
dates = st.dates(dt.date(2026, 1, 1), dt.date(2027, 12, 31))
specials = st.lists(
    st.builds(SpecialDay, dates, st.lists(intervals, max_size=1).map(tuple), st.booleans()),
    max_size=4,
).map(tuple)
schedules = st.builds(Schedule, st.sampled_from(ZONES), weekly, specials)
instants = st.datetimes(
    dt.datetime(2026, 1, 1), dt.datetime(2027, 12, 31), timezones=st.just(UTC)
).map(lambda d: d.replace(microsecond=0))
minutes = st.integers(0, 3000)


def has_working_time(schedule):
    # Every interval has a length (start == end is a whole day), and special days close at most
    # a few dates a year, so any weekly interval means working time every year.
    return any(schedule.weekly.values())


PROPERTY = settings(max_examples=150, deadline=None)


@PROPERTY
@given(schedules, instants, minutes)
def test_adding_then_measuring_gives_the_amount_back(schedule, start, amount):
    assume(has_working_time(schedule))
    end = add_business_minutes(schedule, start, amount)
    assert business_minutes_between(schedule, start, end) == pytest.approx(amount, abs=1 / 60)


@PROPERTY
@given(schedules, instants, minutes, minutes)
def test_more_minutes_never_end_earlier(schedule, start, a, b):
    assume(has_working_time(schedule))
    low, high = sorted((a, b))
    assert add_business_minutes(schedule, start, low) <= add_business_minutes(schedule, start, high)


@PROPERTY
@given(schedules, instants, instants, minutes)
def test_a_later_start_never_ends_earlier(schedule, a, b, amount):
    assume(has_working_time(schedule))
    early, late = sorted((a, b))
    assert add_business_minutes(schedule, early, amount) <= add_business_minutes(
        schedule, late, amount
    )


@PROPERTY
@given(schedules, instants, st.integers(1, 3000))
def test_the_result_is_never_outside_working_time(schedule, start, amount):
    assume(has_working_time(schedule))
    end = add_business_minutes(schedule, start, amount)
    assert is_open(schedule, end - dt.timedelta(seconds=1))


@PROPERTY
@given(schedules, instants, instants, instants)
def test_measuring_adds_up(schedule, a, b, c):
    a, b, c = sorted((a, b, c))
    total = business_minutes_between(schedule, a, c)
    parts = business_minutes_between(schedule, a, b) + business_minutes_between(schedule, b, c)
    assert total == pytest.approx(parts)


# -- fixed cases ------------------------------------------------------------------------------

NIGHT = {day: (Interval(t("00:00"), t("06:00")),) for day in range(7)}


@pytest.mark.parametrize(
    ("zone", "day", "hours"),
    [
        ("Europe/Warsaw", "2026-03-29", 5),  # 02:00 -> 03:00
        ("Europe/Warsaw", "2026-10-25", 7),  # 03:00 -> 02:00
        ("America/New_York", "2026-03-08", 5),
        ("America/New_York", "2026-11-01", 7),
        ("Europe/Moscow", "2026-03-29", 6),  # no clock changes
    ],
)
def test_a_night_shift_lasts_real_hours_across_clock_changes(zone, day, hours):
    schedule = Schedule(zone, NIGHT)
    start, end = at(zone, f"{day}T00:00"), at(zone, f"{day}T06:00")
    assert business_minutes_between(schedule, start, end) == hours * 60
    assert add_business_minutes(schedule, start, hours * 60) == end.astimezone(UTC)


@pytest.mark.parametrize("zone", ["Europe/Warsaw", "America/New_York"])
def test_an_overnight_interval_across_a_clock_change(zone):
    # 22:00 Saturday to 04:00 Sunday, the night the clocks go back in both zones in 2026.
    saturday = {5: (Interval(t("22:00"), t("04:00")),)}
    day = {"Europe/Warsaw": "2026-10-24", "America/New_York": "2026-10-31"}[zone]
    schedule = Schedule(zone, saturday)
    start = at(zone, f"{day}T21:00")
    assert business_minutes_between(schedule, start, start + dt.timedelta(days=1)) == 7 * 60


def test_a_time_in_the_spring_gap_means_the_end_of_the_gap():
    warsaw = ZoneInfo("Europe/Warsaw")
    assert to_utc(dt.datetime(2026, 3, 29, 2, 30), warsaw) == dt.datetime(
        2026, 3, 29, 1, 0, tzinfo=UTC
    )
    # Ambiguous autumn time: the first occurrence (still summer time, UTC+2).
    assert to_utc(dt.datetime(2026, 10, 25, 2, 30), warsaw) == dt.datetime(
        2026, 10, 25, 0, 30, tzinfo=UTC
    )


def test_friday_evening_lands_on_monday():
    schedule = Schedule("Europe/Warsaw", OFFICE)
    friday = at("Europe/Warsaw", "2026-11-20T16:00")  # a Friday
    assert add_business_minutes(schedule, friday, 120) == at("Europe/Warsaw", "2026-11-23T10:00")


def test_holidays_special_days_and_yearly_days():
    schedule = Schedule(
        "Europe/Warsaw",
        OFFICE,
        special_days=(
            SpecialDay(dt.date(2026, 11, 11)),  # Independence Day: closed
            SpecialDay(dt.date(2026, 11, 12), (Interval(t("10:00"), t("12:00")),)),
            SpecialDay(dt.date(2000, 12, 24), yearly=True),  # every Christmas Eve
        ),
    )
    tue = at("Europe/Warsaw", "2026-11-10T17:00")
    # Wednesday 11th closed, Thursday 12th only 10-12: 3 hours run into Friday 10:00.
    assert add_business_minutes(schedule, tue, 180) == at("Europe/Warsaw", "2026-11-13T10:00")
    assert not is_open(schedule, at("Europe/Warsaw", "2027-12-24T10:00"))  # a Friday
    assert is_open(schedule, at("Europe/Warsaw", "2027-12-23T10:00"))


def test_round_the_clock_and_opening_times():
    always = Schedule("UTC", always_open=True)
    start = dt.datetime(2026, 1, 1, tzinfo=UTC)
    assert add_business_minutes(always, start, 60 * 24 * 3) == start + dt.timedelta(days=3)
    office = Schedule("Europe/Moscow", OFFICE)
    saturday = at("Europe/Moscow", "2026-11-21T12:00")
    assert next_opening(office, saturday) == at("Europe/Moscow", "2026-11-23T09:00")
    assert add_business_minutes(office, saturday, 0) == at("Europe/Moscow", "2026-11-23T09:00")


def test_a_schedule_without_working_time_is_an_error_not_a_hang():
    with pytest.raises(ValueError, match="no working time"):
        add_business_minutes(Schedule("UTC", {}), dt.datetime(2026, 1, 1, tzinfo=UTC), 10)
    with pytest.raises(ValueError, match="timezone-aware"):
        business_minutes_between(
            Schedule("UTC", OFFICE), dt.datetime(2026, 1, 1), dt.datetime(2026, 1, 2)
        )


def test_long_amounts_walk_by_day_not_by_minute():
    schedule = Schedule("America/New_York", OFFICE)
    start = at("America/New_York", "2026-01-05T09:00")
    end = add_business_minutes(schedule, start, 10_000)
    assert business_minutes_between(schedule, start, end) == 10_000
    # 10,000 minutes are 20 working days and 6 hours 40 minutes: Monday 2 February, 15:40.
    assert end == at("America/New_York", "2026-02-02T15:40")
    # Amounts longer than the three-year horizon still work: the horizon is about gaps.
    years = add_business_minutes(schedule, start, 8 * 60 * 261 * 4)
    assert years > start + dt.timedelta(days=3 * 366)
