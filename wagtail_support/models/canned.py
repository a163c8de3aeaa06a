import re

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .intake import Category

VARIABLE = re.compile(r"{{\s*(\w+)\s*}}")


class CannedAnswerQuerySet(models.QuerySet):
    def for_agent(self, user):
        """Shared answers and the agent's own: the one visibility rule for every list and view."""
        return self.filter(Q(owner__isnull=True) | Q(owner=user))


class CannedAnswer(models.Model):
    """A reply template an agent inserts with one click (R-DK6). ``{{ variable }}`` placeholders
    are filled from the ticket; anything else in the text stays as written."""

    title = models.CharField(_("title"), max_length=150)
    body = models.TextField(
        _("text"),
        help_text=_(
            "Variables: {{ customer_name }}, {{ ticket_number }}, {{ subject }}, "
            "{{ agent_name }}, {{ state }}."
        ),
    )
    category = models.ForeignKey(
        Category,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="canned_answers",
        verbose_name=_("category"),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("owner"),
        help_text=_("Blank: shared with every agent."),
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = CannedAnswerQuerySet.as_manager()

    class Meta:
        verbose_name = _("canned answer")
        verbose_name_plural = _("canned answers")
        ordering = ["title"]

    def __str__(self):
        return self.title

    def render(self, ticket, agent):
        values = {
            "customer_name": ticket.customer_display,
            "ticket_number": ticket.number,
            "subject": ticket.subject,
            "agent_name": agent.get_full_name() or agent.get_username(),
            "state": ticket.state.label_for_customer,
        }
        return VARIABLE.sub(lambda m: str(values.get(m.group(1), m.group(0))), self.body)
