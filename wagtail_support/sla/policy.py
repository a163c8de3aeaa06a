"""Which service level applies to a ticket, and its targets (R-SL1, R-SL3).

The configuration (levels with their conditions and targets, schedules with their hours, the
catalog's overrides) is read once and kept in the process until any of it changes (``kept.py``):
every ticket change asks for its policy, and this keeps that free of queries.
"""

from dataclasses import dataclass

from django.db.models.signals import m2m_changed, post_delete, post_save

from ..kept import Kept
from .clock import Targets


@dataclass(frozen=True)
class Level:
    pk: int
    is_default: bool
    schedule: object  # business_time.Schedule, or None for round the clock
    warning_minutes: int
    customer_groups: frozenset
    sources: frozenset
    services: frozenset
    priorities: frozenset
    targets: dict  # priority (None: any) -> Targets

    def matches(self, ticket, customer_groups):
        return (
            (not self.sources or ticket.source_id in self.sources)
            and (not self.services or ticket.service_id in self.services)
            and (not self.priorities or ticket.priority in self.priorities)
            and (not self.customer_groups or bool(self.customer_groups & customer_groups()))
        )

    def targets_for(self, priority):
        return self.targets.get(priority) or self.targets.get(None) or Targets()


@dataclass(frozen=True)
class Policy:
    level_id: int | None
    schedule: object
    targets: Targets
    warning_minutes: int


NO_POLICY = Policy(None, None, Targets(), 0)


def _load():
    from ..models import Service, ServiceLevel

    levels = []
    for level in ServiceLevel.objects.filter(active=True).prefetch_related(
        "customer_groups",
        "sources",
        "services",
        "targets",
        "schedule__hours",
        "schedule__special_days",
    ):
        levels.append(
            Level(
                pk=level.pk,
                is_default=level.is_default,
                schedule=level.schedule.business_schedule if level.schedule else None,
                warning_minutes=level.warning_minutes,
                customer_groups=frozenset(g.pk for g in level.customer_groups.all()),
                sources=frozenset(s.pk for s in level.sources.all()),
                services=frozenset(s.pk for s in level.services.all()),
                priorities=frozenset(int(p) for p in level.priorities or ()),
                targets={
                    t.priority: Targets(
                        t.first_response_minutes, t.next_response_minutes, t.resolution_minutes
                    )
                    for t in level.targets.all()
                },
            )
        )
    levels.sort(key=lambda level: level.is_default)  # the default is tried last
    services = {
        pk: (reaction, resolution)
        for pk, reaction, resolution in Service.objects.values_list(
            "pk", "reaction_minutes", "resolution_minutes"
        )
    }
    return {"levels": levels, "services": services}


_kept = Kept("wagtail_support:sla-config", _load)
config = _kept.get
forget = _kept.forget


def policy_for(ticket):
    """The level, schedule, targets and warning time that apply to ``ticket`` now."""
    current = config()
    groups = None

    def customer_groups():
        nonlocal groups
        if groups is None:
            groups = (
                frozenset(ticket.customer.groups.values_list("pk", flat=True))
                if ticket.customer_id
                else frozenset()
            )
        return groups

    level = next((lv for lv in current["levels"] if lv.matches(ticket, customer_groups)), None)
    targets = level.targets_for(ticket.priority) if level else Targets()
    reaction, resolution = current["services"].get(ticket.service_id, (None, None))
    if reaction is not None or resolution is not None:
        targets = Targets(
            reaction if reaction is not None else targets.first_response,
            targets.next_response,
            resolution if resolution is not None else targets.resolution,
        )
    if level is None and not targets:
        return NO_POLICY
    return Policy(
        level.pk if level else None,
        level.schedule if level else None,
        targets,
        level.warning_minutes if level else 30,
    )


def connect():
    from ..models import (
        ScheduleHours,
        Service,
        ServiceLevel,
        ServiceLevelTarget,
        SpecialDay,
        SupportSchedule,
    )

    for model in (
        ScheduleHours,
        Service,
        ServiceLevel,
        ServiceLevelTarget,
        SpecialDay,
        SupportSchedule,
    ):
        post_save.connect(forget, sender=model, dispatch_uid=f"ws-sla-save-{model.__name__}")
        post_delete.connect(forget, sender=model, dispatch_uid=f"ws-sla-delete-{model.__name__}")
    for field in ("customer_groups", "sources", "services"):
        through = getattr(ServiceLevel, field).through
        m2m_changed.connect(forget, sender=through, dispatch_uid=f"ws-sla-m2m-{field}")
