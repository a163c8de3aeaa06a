"""Due times of a ticket's SLA clocks, as pure functions (no ORM) over the ticket's timeline.

Three clocks: first response (from creation to the first public answer), next response (from a
customer message that waits for an answer to the answer) and resolution (from creation to
resolution). Time spent in pauses (states that pause the SLA, and resolved or closed states) does
not count; a clock in an open pause has no due time until the pause ends.
"""

import datetime as dt
from dataclasses import dataclass

from .business_time import Schedule, add_business_time, business_seconds_between

ROUND_THE_CLOCK = Schedule("UTC", always_open=True)
TARGETS = ("first_response", "next_response", "resolution")


@dataclass(frozen=True)
class Targets:
    """Minutes of business time per clock; None: no target."""

    first_response: int | None = None
    next_response: int | None = None
    resolution: int | None = None

    def __bool__(self):
        return any(getattr(self, name) is not None for name in TARGETS)


@dataclass(frozen=True)
class Timeline:
    created_at: dt.datetime
    first_response_at: dt.datetime | None = None
    awaiting_since: dt.datetime | None = None
    resolved: bool = False
    pauses: tuple[tuple[dt.datetime, dt.datetime | None], ...] = ()

    @property
    def paused(self):
        return bool(self.pauses) and self.pauses[-1][1] is None


@dataclass(frozen=True)
class Due:
    first_response: dt.datetime | None = None
    next_response: dt.datetime | None = None
    resolution: dt.datetime | None = None

    def earliest(self):
        values = (self.first_response, self.next_response, self.resolution)
        found = [value for value in values if value is not None]
        return min(found) if found else None


def due_at(schedule, start, minutes, pauses=()):
    """When ``minutes`` of business time have run from ``start``, not counting ``pauses``
    (ordered (start, end) pairs, the last one's end None while it lasts); None while paused."""
    remaining = dt.timedelta(minutes=minutes)
    cursor = start
    for pause_start, pause_end in pauses:
        if pause_end is not None and pause_end <= cursor:
            continue
        if pause_start > cursor:
            available = dt.timedelta(
                seconds=business_seconds_between(schedule, cursor, pause_start)
            )
            if available >= remaining:
                break
            remaining -= available
        if pause_end is None:
            return None
        cursor = max(cursor, pause_end)
    return add_business_time(schedule, cursor, remaining)


def elapsed_seconds(schedule, start, end, pauses=()):
    """Business seconds in [start, end) outside ``pauses``."""
    total = business_seconds_between(schedule, start, end)
    for pause_start, pause_end in pauses:
        low, high = max(pause_start, start), min(pause_end or end, end)
        if high > low:
            total -= business_seconds_between(schedule, low, high)
    return max(total, 0.0)


def compute(schedule, targets, timeline):
    """The due time of every running clock; None for clocks that are stopped or have no target."""
    schedule = schedule or ROUND_THE_CLOCK
    if timeline.resolved or timeline.paused:
        return Due()
    pauses = timeline.pauses
    first = next_ = resolution = None
    if targets.first_response is not None and timeline.first_response_at is None:
        first = due_at(schedule, timeline.created_at, targets.first_response, pauses)
    if (
        targets.next_response is not None
        and timeline.first_response_at is not None
        and timeline.awaiting_since is not None
    ):
        next_ = due_at(schedule, timeline.awaiting_since, targets.next_response, pauses)
    if targets.resolution is not None:
        resolution = due_at(schedule, timeline.created_at, targets.resolution, pauses)
    return Due(first, next_, resolution)
