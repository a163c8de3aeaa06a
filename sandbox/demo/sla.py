"""Demo service levels: office hours in Warsaw with Polish public holidays, a standard level with
faster targets for urgent requests, a level for priority customers, and a small service catalog."""

import datetime as dt

from django.contrib.auth.models import Group

from sandbox.demo.people import FIRST_LINE, TECHNICAL
from wagtail_support.models import (
    Category,
    ScheduleHours,
    Service,
    ServiceLevel,
    ServiceLevelTarget,
    Source,
    SpecialDay,
    SupportSchedule,
)

OFFICE_HOURS = "Office hours (Warsaw)"

HOLIDAYS = (
    (1, 1, "New Year's Day"),
    (1, 6, "Epiphany"),
    (5, 1, "Labour Day"),
    (5, 3, "Constitution Day"),
    (8, 15, "Assumption Day"),
    (11, 1, "All Saints' Day"),
    (11, 11, "Independence Day"),
    (12, 25, "Christmas Day"),
    (12, 26, "Second Day of Christmas"),
)

SERVICES = (
    ("Orders and delivery", "order", FIRST_LINE, None, None),
    ("Invoices and payments", "payment", FIRST_LINE, 120, None),
    ("Installation and errors", "installation", TECHNICAL, None, 1440),
)


def ensure_service_levels():
    schedule, created = SupportSchedule.objects.get_or_create(
        name=OFFICE_HOURS,
        defaults={"time_zone": "Europe/Warsaw", "description": "Monday to Friday, 9:00-17:00"},
    )
    if created:
        for day in range(5):
            ScheduleHours.objects.create(
                schedule=schedule, weekday=day, start=dt.time(9), end=dt.time(17)
            )
        for month, day, name in HOLIDAYS:
            SpecialDay.objects.create(
                schedule=schedule, date=dt.date(2026, month, day), name=name, yearly=True
            )
    standard, created = ServiceLevel.objects.get_or_create(
        name="Standard",
        defaults={"schedule": schedule, "is_default": True, "sort_order": 10},
    )
    if created:
        ServiceLevelTarget.objects.create(
            level=standard,
            first_response_minutes=240,
            next_response_minutes=480,
            resolution_minutes=2400,
        )
        ServiceLevelTarget.objects.create(
            level=standard,
            priority=40,
            first_response_minutes=60,
            next_response_minutes=120,
            resolution_minutes=480,
        )
    vip_group, _ = Group.objects.get_or_create(name="Priority customers")
    vip, created = ServiceLevel.objects.get_or_create(
        name="Priority customers", defaults={"schedule": None, "sort_order": 1}
    )
    if created:
        vip.customer_groups.set([vip_group])
        vip.save()
        ServiceLevelTarget.objects.create(
            level=vip, first_response_minutes=60, next_response_minutes=120, resolution_minutes=960
        )
    for name, category, group, reaction, resolution in SERVICES:
        Service.objects.get_or_create(
            name=name,
            defaults={
                "category": Category.objects.filter(slug=category).first(),
                "responsible_group": Group.objects.filter(name=group).first(),
                "reaction_minutes": reaction,
                "resolution_minutes": resolution,
            },
        )
    website = Source.objects.get(slug="website")
    if website.schedule_id is None:
        website.schedule = schedule
        website.save(update_fields=["schedule"])
    return schedule
