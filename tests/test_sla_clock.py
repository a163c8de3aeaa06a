"""The SLA clocks over business time with pauses, as properties: the due time is exactly the
target's amount of counted time after the start, never inside a pause, and later pauses or more
minutes never bring it forward."""

import datetime as dt

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from wagtail_support.sla import business_time as bt
from wagtail_support.sla import clock

UTC = dt.UTC
OFFICE = bt.Schedule(
    "Europe/Warsaw",
    {day: (bt.Interval(dt.time(9), dt.time(17)),) for day in range(5)},
    special_days=(bt.SpecialDay(dt.date(2026, 11, 11), yearly=True),),
)
SCHEDULES = st.sampled_from([OFFICE, clock.ROUND_THE_CLOCK])
START = dt.datetime(2026, 3, 1, tzinfo=UTC)
minutes_after = st.integers(0, 60 * 24 * 40).map(lambda m: START + dt.timedelta(minutes=m))


@st.composite
def pauses(draw):
    """Ordered, non-overlapping closed pauses after the start."""
    points = sorted(set(draw(st.lists(minutes_after, max_size=6))))
    pairs = list(zip(points[::2], points[1::2], strict=False))
    return tuple((a, b) for a, b in pairs if b > a)


PROPERTY = settings(max_examples=120, deadline=None)


@PROPERTY
@given(SCHEDULES, pauses(), st.integers(1, 3000))
def test_the_due_time_is_the_target_of_counted_time_after_the_start(schedule, stops, minutes):
    due = clock.due_at(schedule, START, minutes, stops)
    counted = clock.elapsed_seconds(schedule, START, due, stops)
    assert counted == pytest.approx(minutes * 60, abs=1)
    assert not any(a < due < b for a, b in stops), "due inside a pause"


@PROPERTY
@given(SCHEDULES, pauses(), st.integers(1, 3000), st.integers(1, 600))
def test_more_minutes_never_come_sooner(schedule, stops, minutes, more):
    assert clock.due_at(schedule, START, minutes + more, stops) >= clock.due_at(
        schedule, START, minutes, stops
    )


@PROPERTY
@given(SCHEDULES, pauses(), st.integers(1, 3000), minutes_after, st.integers(1, 3000))
def test_an_extra_pause_never_brings_the_due_time_forward(schedule, stops, minutes, at, length):
    extra = (at, at + dt.timedelta(minutes=length))
    assume(all(extra[1] <= a or extra[0] >= b for a, b in stops))
    longer = tuple(sorted((*stops, extra)))
    assert clock.due_at(schedule, START, minutes, longer) >= clock.due_at(
        schedule, START, minutes, stops
    )


def test_an_open_pause_stops_the_clock_until_it_ends():
    opened = START + dt.timedelta(hours=1)
    assert clock.due_at(clock.ROUND_THE_CLOCK, START, 30, ((opened, None),)) is not None
    assert clock.due_at(clock.ROUND_THE_CLOCK, START, 90, ((opened, None),)) is None
    timeline = clock.Timeline(START, pauses=((opened, None),))
    assert clock.compute(None, clock.Targets(first_response=30), timeline) == clock.Due()


def test_next_response_runs_only_after_the_first_answer():
    targets = clock.Targets(first_response=60, next_response=30)
    waiting = clock.Timeline(START, awaiting_since=START)
    due = clock.compute(None, targets, waiting)
    assert due.first_response == START + dt.timedelta(minutes=60) and due.next_response is None
    answered = clock.Timeline(START, START, START + dt.timedelta(hours=2))
    due = clock.compute(None, targets, answered)
    assert due.first_response is None
    assert due.next_response == START + dt.timedelta(hours=2, minutes=30)
