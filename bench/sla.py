"""How long computing one ticket's SLA due times takes (``sla_due_us``): first response, next
response and resolution over a realistic schedule (Warsaw office hours with a lunch break, a late
shift on Thursdays, the year's public holidays), for tickets created at random moments with and
without pauses. Pure computation: no database."""

import datetime as dt
import random
import time
from zoneinfo import ZoneInfo

from wagtail_support.sla import business_time as bt
from wagtail_support.sla import clock

TICKETS = 20_000


def realistic_schedule():
    hours = (bt.Interval(dt.time(8), dt.time(12)), bt.Interval(dt.time(12, 30), dt.time(17)))
    weekly = dict.fromkeys(range(5), hours)
    weekly[3] = (*hours, bt.Interval(dt.time(18), dt.time(22)))
    holidays = [(1, 1), (1, 6), (5, 1), (5, 3), (8, 15), (11, 1), (11, 11), (12, 25), (12, 26)]
    special = tuple(bt.SpecialDay(dt.date(2026, m, d), (), yearly=True) for m, d in holidays)
    special += (bt.SpecialDay(dt.date(2026, 12, 24), (bt.Interval(dt.time(8), dt.time(12)),)),)
    return bt.Schedule(ZoneInfo("Europe/Warsaw"), weekly, special)


def timelines(count, seed=7):
    rng = random.Random(seed)
    start = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    for _ in range(count):
        created = start + dt.timedelta(minutes=rng.randrange(365 * 24 * 60))
        answered = created + dt.timedelta(minutes=rng.randrange(30, 600))
        pauses = ()
        if rng.random() < 0.4:
            pause_start = answered + dt.timedelta(minutes=5)
            pauses = ((pause_start, pause_start + dt.timedelta(hours=rng.randrange(1, 72))),)
        awaiting = answered + dt.timedelta(days=rng.randrange(1, 4))
        yield clock.Timeline(created, answered, awaiting, False, pauses)
        yield clock.Timeline(created)  # not answered yet


def sla_due_us():
    schedule = realistic_schedule()
    targets = clock.Targets(first_response=240, next_response=480, resolution=2400)
    cases = list(timelines(TICKETS // 2))
    for case in cases[:200]:  # a warm schedule cache, as in a long-running process
        clock.compute(schedule, targets, case)
    started = time.perf_counter()
    for case in cases:
        clock.compute(schedule, targets, case)
    return round((time.perf_counter() - started) / len(cases) * 1e6, 1)


if __name__ == "__main__":
    print(sla_due_us())
