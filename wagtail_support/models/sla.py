"""Service levels and the schedules they count in, and the service catalog (R-SL1 to R-SL3).

A support schedule (weekly hours, holidays, special days in one time zone) is edited as one unit
and turned into the plain ``business_time.Schedule`` the arithmetic uses. A service level gives
targets per priority and the schedule whose business time counts; the first level (in order)
whose conditions match a ticket applies, or the default level. A service in the catalog may
override the reaction and resolution times and names who answers.
"""

import zoneinfo
from functools import cached_property

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.models import Orderable

from ..sla import business_time as bt
from .intake import Category, Source
from .tickets import Kind, Priority


def validate_time_zone(value):
    if value not in zoneinfo.available_timezones():
        raise ValidationError(_("“%(zone)s” is not a time zone name."), params={"zone": value})


def time_zone_choices():
    return [(name, name) for name in sorted(zoneinfo.available_timezones())]


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class SupportSchedule(ClusterableModel):
    name = models.CharField(_("name"), max_length=100)
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        default="UTC",
        validators=[validate_time_zone],
        help_text=_("Working hours are wall-clock times in this zone, e.g. Europe/Warsaw."),
    )
    description = models.CharField(_("description"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("support schedule")
        verbose_name_plural = _("support schedules")
        ordering = ["name"]

    def __str__(self):
        return self.name

    @cached_property
    def business_schedule(self):
        """The schedule as plain data for ``sla.business_time``; one object per instance, so its
        cache of computed days is reused."""
        weekly = {}
        for interval in self.hours.all():
            weekly.setdefault(interval.weekday, []).append(
                bt.Interval(interval.start, interval.end)
            )
        by_date = {}
        for special in self.special_days.all():
            key = (special.date, special.yearly)
            by_date.setdefault(key, [])
            if not special.closed:
                by_date[key].append(bt.Interval(special.start, special.end))
        return bt.Schedule(
            self.time_zone,
            {day: tuple(intervals) for day, intervals in weekly.items()},
            tuple(
                bt.SpecialDay(date, tuple(intervals), yearly)
                for (date, yearly), intervals in by_date.items()
            ),
        )


class ScheduleHours(Orderable):
    """One working interval on a weekday. An end not after the start runs past midnight."""

    schedule = ParentalKey(SupportSchedule, on_delete=models.CASCADE, related_name="hours")
    weekday = models.PositiveSmallIntegerField(_("day"), choices=Weekday.choices)
    start = models.TimeField(_("from"))
    end = models.TimeField(
        _("until"), help_text=_("Before the start: until that time the next day.")
    )

    class Meta(Orderable.Meta):
        verbose_name = _("working hours")
        verbose_name_plural = _("working hours")

    def __str__(self):
        return f"{self.get_weekday_display()} {self.start:%H:%M}-{self.end:%H:%M}"


class SpecialDay(Orderable):
    """A holiday (closed) or a day with its own hours; several rows with one date add up."""

    schedule = ParentalKey(SupportSchedule, on_delete=models.CASCADE, related_name="special_days")
    date = models.DateField(_("date"))
    name = models.CharField(_("name"), max_length=100, blank=True)
    yearly = models.BooleanField(
        _("every year"), default=False, help_text=_("Repeats on this day and month every year.")
    )
    closed = models.BooleanField(_("closed all day"), default=True)
    start = models.TimeField(_("from"), null=True, blank=True)
    end = models.TimeField(_("until"), null=True, blank=True)

    class Meta(Orderable.Meta):
        verbose_name = _("holiday or special day")
        verbose_name_plural = _("holidays and special days")

    def __str__(self):
        return f"{self.date} {self.name}".strip()

    def clean(self):
        super().clean()
        if not self.closed and (self.start is None or self.end is None):
            raise ValidationError(_("Give the hours of a day that is not closed."))


class ServiceStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    DEVELOPMENT = "development", _("In development")
    RETIRED = "retired", _("Retired")


class Service(models.Model):
    """An entry of the service catalog: what is supported, who answers and how fast."""

    name = models.CharField(_("name"), max_length=150)
    category = models.ForeignKey(
        Category,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="services",
        verbose_name=_("category"),
    )
    description = models.TextField(_("description"), blank=True)
    kind = models.CharField(
        _("covers"),
        max_length=10,
        choices=Kind.choices,
        blank=True,
        help_text=_("Which kind of case the service covers; blank: both."),
    )
    reaction_minutes = models.PositiveIntegerField(
        _("reaction time (minutes)"),
        null=True,
        blank=True,
        help_text=_("Overrides the service level's first-response target; blank: the level's."),
    )
    resolution_minutes = models.PositiveIntegerField(
        _("resolution time (minutes)"),
        null=True,
        blank=True,
        help_text=_("Overrides the service level's resolution target; blank: the level's."),
    )
    responsible_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("responsible user"),
    )
    responsible_group = models.ForeignKey(
        Group,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("responsible group"),
        help_text=_("e.g. 1st line support; tickets of the service are assigned here."),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=ServiceStatus.choices, default=ServiceStatus.ACTIVE
    )

    class Meta:
        verbose_name = _("service")
        verbose_name_plural = _("services")
        ordering = ["name"]

    def __str__(self):
        return self.name


class ServiceLevel(ClusterableModel):
    name = models.CharField(_("name"), max_length=100)
    description = models.CharField(_("description"), max_length=255, blank=True)
    schedule = models.ForeignKey(
        SupportSchedule,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="service_levels",
        verbose_name=_("schedule"),
        help_text=_("Business time counts in this schedule's hours; blank: round the clock."),
    )
    sort_order = models.IntegerField(
        _("order"), default=0, help_text=_("Levels are tried in this order; the first match wins.")
    )
    is_default = models.BooleanField(
        _("default level"),
        default=False,
        help_text=_("Applies to tickets no other level matches. One level only."),
    )
    active = models.BooleanField(_("active"), default=True)
    warning_minutes = models.PositiveIntegerField(
        _("warn before (minutes)"),
        default=30,
        help_text=_("Agents are warned this long (real time) before a target is due."),
    )
    # Conditions: every one that is set must match; none set matches every ticket.
    customer_groups = ParentalManyToManyField(
        Group,
        blank=True,
        related_name="+",
        verbose_name=_("customer groups"),
        help_text=_("Customers in one of these groups; none: any customer."),
    )
    sources = ParentalManyToManyField(
        Source, blank=True, related_name="+", verbose_name=_("sources")
    )
    services = ParentalManyToManyField(
        Service, blank=True, related_name="+", verbose_name=_("services")
    )
    priorities = models.JSONField(
        _("priorities"), default=list, blank=True, help_text=_("None: any priority.")
    )

    class Meta:
        verbose_name = _("service level")
        verbose_name_plural = _("service levels")
        ordering = ["sort_order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"],
                condition=Q(is_default=True),
                name="wagtail_support_one_default_level",
            )
        ]

    def __str__(self):
        return self.name


class ServiceLevelTarget(Orderable):
    """How fast, in business minutes, for one priority (blank: every priority without its own
    row)."""

    level = ParentalKey(ServiceLevel, on_delete=models.CASCADE, related_name="targets")
    priority = models.PositiveSmallIntegerField(
        _("priority"), choices=Priority.choices, null=True, blank=True
    )
    first_response_minutes = models.PositiveIntegerField(
        _("first response (minutes)"), null=True, blank=True
    )
    next_response_minutes = models.PositiveIntegerField(
        _("next response (minutes)"),
        null=True,
        blank=True,
        help_text=_("After each customer message that waits for an answer."),
    )
    resolution_minutes = models.PositiveIntegerField(
        _("resolution (minutes)"), null=True, blank=True
    )

    class Meta(Orderable.Meta):
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        constraints = [
            models.UniqueConstraint(
                fields=["level", "priority"], name="wagtail_support_target_priority"
            )
        ]

    def __str__(self):
        return f"{self.level}: {self.get_priority_display() or _('any priority')}"


class NoticeKind(models.TextChoices):
    WARNING = "warning", _("About to breach")
    BREACH = "breach", _("Breached")
    UNASSIGNED = "unassigned", _("Nobody responsible")


class SlaNotice(models.Model):
    """A notice sent once: its unique row is inserted before the mail goes out, so two scans
    running at once can't both send it."""

    ticket = models.ForeignKey("Ticket", on_delete=models.CASCADE, related_name="sla_notices")
    target = models.CharField(_("target"), max_length=20)
    kind = models.CharField(_("kind"), max_length=12, choices=NoticeKind.choices)
    # For "nobody responsible" notices: when the ticket was created.
    due_at = models.DateTimeField(_("due"))
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)

    class Meta:
        verbose_name = _("SLA notice")
        verbose_name_plural = _("SLA notices")
        constraints = [
            models.UniqueConstraint(
                fields=["ticket", "target", "kind", "due_at"],
                name="wagtail_support_notice_once",
            )
        ]

    def __str__(self):
        return f"{self.ticket_id} {self.target} {self.kind}"
