"""The schedule block: a support schedule's hours in the visitor's language, coming holidays, and
"open now" or "opens at …" (R-SL2). Also rendered above a contact form whose source names a
schedule."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail import blocks


def schedule_choices():
    from ..models import SupportSchedule

    return [(str(s.pk), s.name) for s in SupportSchedule.objects.order_by("name")]


def hours_context(schedule_model, now=None):
    """What the hours template needs for one SupportSchedule."""
    from ..sla import hours

    now = now or timezone.now()
    plain = schedule_model.business_schedule
    today = now.astimezone(plain.zone).date()
    return {
        "schedule": schedule_model,
        "weekly": hours.weekly_table(plain),
        "special_days": hours.upcoming_special_days(plain, today),
        "status": hours.status(plain, now),
        "today": today,
    }


class ScheduleBlock(blocks.StructBlock):
    schedule = blocks.ChoiceBlock(choices=schedule_choices, label=_("Support schedule"))
    heading = blocks.CharBlock(required=False, label=_("Heading"))
    show_status = blocks.BooleanBlock(
        required=False, default=True, label=_("Show whether support is open now")
    )

    class Meta:
        icon = "time"
        label = _("Support hours")
        template = "wagtail_support/blocks/schedule.html"

    def get_context(self, value, parent_context=None):
        from ..models import SupportSchedule

        context = super().get_context(value, parent_context)
        schedule = (
            SupportSchedule.objects.prefetch_related("hours", "special_days")
            .filter(pk=value.get("schedule") or None)
            .first()
        )
        if schedule is not None:
            context.update(hours_context(schedule))
        return context
