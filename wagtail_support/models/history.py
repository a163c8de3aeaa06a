from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .tickets import Message, Ticket


class EventKind(models.TextChoices):
    CREATED = "created", _("Created")
    MESSAGE = "message", _("Message")
    NOTE = "note", _("Internal note")
    ACTION = "action", _("Action performed")
    STATE = "state", _("State changed")
    ASSIGNMENT = "assignment", _("Assignment changed")
    FIELD = "field", _("Field changed")
    FOLLOW = "follow", _("Followed")
    UNFOLLOW = "unfollow", _("Unfollowed")
    RATING = "rating", _("Rated")
    SLA = "sla", _("Service level")
    SPAM = "spam", _("Spam flag changed")
    DELETED = "deleted", _("Deleted")
    RESTORED = "restored", _("Restored")


class AppendOnly(Exception):
    pass


class TicketEvent(models.Model):
    """One entry of a ticket's history. Written once, never changed: reports are built from it and
    the ticket's columns are its current projection.

    ``data`` holds what the kind needs, always with old and new values for changes, e.g.
    ``{"field": "priority", "old": 20, "new": 40}`` or
    ``{"action": "resolve", "values": {"resolution": "fixed"}}``; never what the row or its
    message already holds (a message event is ``{}``, or ``{"from_customer": true}``: channel
    and kind are on the message).
    """

    # Indexed by ws_event_ticket, which leads with the ticket; a second index would only cost.
    ticket = models.ForeignKey(
        Ticket, on_delete=models.CASCADE, related_name="events", db_index=False
    )
    kind = models.CharField(_("kind"), max_length=12, choices=EventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    actor_email = models.EmailField(blank=True, help_text=_("For customers without an account."))
    message = models.ForeignKey(
        Message,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    data = models.JSONField(default=dict, blank=True)
    # Groups the events of one operation (an action with its state and assignment changes).
    operation = models.UUIDField(null=True, blank=True)
    # No index of its own: reports read events of a kind over a period (ws_event_kind), the
    # ticket page a ticket's events in order (ws_event_ticket).
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("ticket event")
        verbose_name_plural = _("ticket events")
        ordering = ["created_at", "pk"]
        indexes = [
            # No index by kind: nothing reads history across tickets by kind yet, and at 16
            # events a ticket it would cost ~5 kB per ticket... of 14. A report that needs one
            # adds it with the plan that shows it.
            models.Index(fields=["ticket", "created_at"], name="ws_event_ticket"),
            # Only the events that have one: most have no message, system events no actor, and
            # these serve just the SET NULL of a deleted user or message (and who-did-what).
            models.Index(fields=["actor"], name="ws_event_actor", condition=Q(actor__isnull=False)),
            models.Index(
                fields=["message"], name="ws_event_message", condition=Q(message__isnull=False)
            ),
        ]

    def __str__(self):
        return f"{self.ticket_id} {self.kind}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not kwargs.get("force_insert"):
            raise AppendOnly("Ticket history is append-only; write a new event instead.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnly("Ticket history is append-only; events are never deleted.")
