"""Business-time arithmetic: working periods of a support schedule, and adding or measuring
working time between instants. Pure functions over plain data (no ORM, no settings), so the SLA
code, its tests and benchmarks can call them directly.

Rules:
- Working hours are wall-clock times in the schedule's time zone; durations are real elapsed time
  (computed in UTC), so on a daylight-saving night no minute is lost or counted twice: a
  00:00-06:00 interval lasts 5 hours when clocks go forward and 7 when they go back.
- An interval whose end is not after its start runs across midnight into the next day and belongs
  to the day it starts on; start == end means 24 hours from the start.
- A wall-clock time that does not exist (the hour skipped in spring) means the first instant after
  the gap; a time that occurs twice (the hour repeated in autumn) means its first occurrence.
- A special day replaces the weekly hours of its date: no intervals means closed all day. A dated
  special day wins over a yearly one on the same date.
- Instants passed in must be timezone-aware; instants returned are in UTC.
"""

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

UTC = dt.UTC
DAY = dt.timedelta(days=1)
HORIZON = dt.timedelta(days=3 * 366)  # how long without working time before giving up


@dataclass(frozen=True)
class Interval:
    start: dt.time
    end: dt.time


@dataclass(frozen=True)
class SpecialDay:
    date: dt.date
    intervals: tuple[Interval, ...] = ()
    yearly: bool = False


@dataclass(frozen=True)
class Schedule:
    tz: ZoneInfo | str
    weekly: Mapping[int, tuple[Interval, ...]] = field(default_factory=dict)  # 0 = Monday
    special_days: tuple[SpecialDay, ...] = ()
    always_open: bool = False
    # Each date's working periods, computed once per schedule object: SLA clocks ask for the same
    # few weeks over and over, and time-zone arithmetic is the expensive part.
    _periods: dict = field(default_factory=dict, init=False, repr=False, compare=False)

    def __hash__(self):
        return id(self)

    @property
    def zone(self) -> ZoneInfo:
        return self.tz if isinstance(self.tz, ZoneInfo) else ZoneInfo(self.tz)

    def intervals_on(self, day: dt.date) -> tuple[Interval, ...]:
        yearly = None
        for special in self.special_days:
            if special.date == day and not special.yearly:
                return special.intervals
            if special.yearly and (special.date.month, special.date.day) == (day.month, day.day):
                yearly = special
        if yearly is not None:
            return yearly.intervals
        return tuple(self.weekly.get(day.weekday(), ()))

    def periods_on(self, day: dt.date) -> tuple[tuple[dt.datetime, dt.datetime], ...]:
        """The UTC (start, end) pairs of the intervals that start on ``day``, sorted."""
        cached = self._periods.get(day)
        if cached is None:
            cached = self._periods[day] = tuple(sorted(_day_periods(self, day)))
        return cached


def _aware(instant: dt.datetime) -> dt.datetime:
    if instant.tzinfo is None or instant.utcoffset() is None:
        raise ValueError("business time needs timezone-aware datetimes")
    return instant.astimezone(UTC)


def to_utc(naive: dt.datetime, zone: ZoneInfo) -> dt.datetime:
    """The UTC instant of a wall-clock time in ``zone``, by the rules in the module docstring."""
    first = naive.replace(tzinfo=zone, fold=0).astimezone(UTC)
    if first.astimezone(zone).replace(tzinfo=None) == naive:
        return first  # exists; fold=0 is the first occurrence when it is ambiguous
    # In a gap: the first instant whose wall-clock time is at or after ``naive``. The gap's end
    # lies between the two readings of ``naive`` with the offsets before and after it.
    low = naive.replace(tzinfo=zone, fold=1).astimezone(UTC)
    high = first
    low, high = min(low, high), max(low, high)
    while high - low > dt.timedelta(seconds=1):
        middle = low + (high - low) / 2
        if middle.astimezone(zone).replace(tzinfo=None) >= naive:
            high = middle
        else:
            low = middle
    return high.replace(microsecond=0)


def _day_periods(schedule: Schedule, day: dt.date) -> list[tuple[dt.datetime, dt.datetime]]:
    zone = schedule.zone
    periods = []
    for interval in schedule.intervals_on(day):
        start = dt.datetime.combine(day, interval.start)
        end_day = day if interval.end > interval.start else day + DAY
        end = dt.datetime.combine(end_day, interval.end)
        start_utc, end_utc = to_utc(start, zone), to_utc(end, zone)
        if end_utc > start_utc:
            periods.append((start_utc, end_utc))
    return periods


def working_periods(
    schedule: Schedule, start: dt.datetime, end: dt.datetime
) -> Iterator[tuple[dt.datetime, dt.datetime]]:
    """Working time within [start, end), as ordered, merged (start, end) UTC pairs."""
    start, end = _aware(start), _aware(end)
    if end <= start:
        return
    if schedule.always_open:
        yield start, end
        return
    for period_start, period_end in _merged_periods(schedule, start):
        if period_start >= end:
            return
        yield period_start, min(period_end, end)


def _merged_periods(schedule, start):
    """Working periods from ``start`` on, day by day, ordered and merged, the first one cut at
    ``start``. Stops after a whole horizon (three years) without any working time, so a closed
    schedule can't loop for ever."""
    zone = schedule.zone
    # Overnight intervals that began the day before can reach into the first day.
    day = start.astimezone(zone).date() - DAY
    current = None
    last_found = start
    while True:
        for period_start, period_end in schedule.periods_on(day):
            if period_end <= start:
                continue
            period_start = max(period_start, start)
            last_found = period_end
            # Starts never go backwards (every interval starts on its own day), so an overlap
            # can only be with the period just before.
            if current and period_start <= current[1]:
                current = (current[0], max(current[1], period_end))
                continue
            if current:
                yield current
            current = (period_start, period_end)
        day += DAY
        if current and current[1] <= dt.datetime.combine(day, dt.time(), UTC) - DAY:
            # Nothing of a later day can start before the end of the day before it.
            yield current
            current = None
        if dt.datetime.combine(day, dt.time(), UTC) - last_found > HORIZON + 2 * DAY:
            if current:
                yield current
            return


def _periods_from(schedule, start):
    start = _aware(start)
    if schedule.always_open:
        yield start, start + HORIZON
        while True:  # round the clock never runs out
            start += HORIZON
            yield start, start + HORIZON
    yield from _merged_periods(schedule, start)


def _no_working_time():
    return ValueError("the schedule has no working time within three years")


def next_opening(schedule: Schedule, instant: dt.datetime) -> dt.datetime:
    for period_start, _period_end in _periods_from(schedule, instant):
        return period_start
    raise _no_working_time()


def is_open(schedule: Schedule, instant: dt.datetime) -> bool:
    instant = _aware(instant)
    return any(True for _ in working_periods(schedule, instant, instant + dt.timedelta(seconds=1)))


def add_business_time(schedule: Schedule, start: dt.datetime, amount: dt.timedelta) -> dt.datetime:
    """The instant when ``amount`` of working time has passed since ``start``."""
    if amount < dt.timedelta(0):
        raise ValueError("amount must not be negative")
    if amount == dt.timedelta(0):
        return next_opening(schedule, start)
    remaining = amount
    for period_start, period_end in _periods_from(schedule, start):
        length = period_end - period_start
        if remaining <= length:
            return period_start + remaining
        remaining -= length
    raise _no_working_time()


def add_business_minutes(schedule: Schedule, start: dt.datetime, minutes: float) -> dt.datetime:
    return add_business_time(schedule, start, dt.timedelta(minutes=minutes))


def business_seconds_between(schedule: Schedule, start: dt.datetime, end: dt.datetime) -> float:
    return sum(
        (period_end - period_start).total_seconds()
        for period_start, period_end in working_periods(schedule, start, end)
    )


def business_minutes_between(schedule: Schedule, start: dt.datetime, end: dt.datetime) -> float:
    """Working minutes in [start, end); 0 when end is not after start."""
    return business_seconds_between(schedule, start, end) / 60
