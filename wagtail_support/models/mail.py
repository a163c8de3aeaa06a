"""What the help desk knows of e-mail beyond the messages themselves: every message it sent (so a
reply's In-Reply-To finds its ticket) and the people copied on a ticket's conversation."""

import hashlib
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import MD5, Cast
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .tickets import Message, Ticket


class OutboundKind(models.TextChoices):
    CONFIRMATION = "confirmation", _("Confirmation of a new request")
    ACTION = "action", _("Action e-mail")
    NOTIFICATION = "notification", _("Notification")
    ESCALATION = "escalation", _("SLA warning or breach")


class OutboundStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    SKIPPED = "skipped", _("Not sent")


# What the uniqueness of an outbound Message-ID is kept on, and its look-ups are made by.
MESSAGE_ID_KEY = Cast(MD5("email_message_id"), models.UUIDField())


def message_id_key(value):
    """``MESSAGE_ID_KEY`` of one Message-ID, computed here so the index is searched directly."""
    return uuid.UUID(hashlib.md5(value.encode()).hexdigest())


class OutboundQuerySet(models.QuerySet):
    def with_message_ids(self, *values):
        """The mail sent with any of these Message-IDs, found through their unique index."""
        keys = {message_id_key(value) for value in values}
        return self.alias(message_id_key=MESSAGE_ID_KEY).filter(message_id_key__in=keys)


class OutboundEmail(models.Model):
    """One e-mail the help desk sent (or is sending) about a ticket.

    ``email_message_id`` is stored without angle brackets (``mail.headers.normalize_message_id``)
    and unique (by its digest: ``with_message_ids()``), so a reply's In-Reply-To or References
    finds its ticket in one indexed look-up.
    Only what cannot be derived is stored: headers that follow from the ticket and the settings
    are made when the mail is built (``mail.outbound.headers_for``), and In-Reply-To is the last
    of ``references``.
    """

    # Indexed by ws_outbound_ticket, which leads with the ticket.
    ticket = models.ForeignKey(
        Ticket, on_delete=models.CASCADE, related_name="outbound_emails", db_index=False
    )
    message = models.ForeignKey(
        Message,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="outbound_emails",
        help_text=_("The ticket message this e-mail carries, if any."),
        db_index=False,
    )
    kind = models.CharField(_("kind"), max_length=20, choices=OutboundKind.choices)
    # Unique by a constraint on its digest (Meta), which finds it too.
    email_message_id = models.CharField(_("Message-ID"), max_length=255)
    # The thread this mail answers, oldest first; its last id is the In-Reply-To.
    references = models.TextField(_("References"), blank=True)
    to = models.JSONField(_("to"), default=list)
    cc = models.JSONField(_("cc"), default=list, blank=True)
    subject = models.CharField(_("subject"), max_length=255, blank=True)
    # The message as rendered when it was queued: a retry sends exactly this, and the desk can
    # show what a customer was sent, until the retention purge empties both (mail/retention.py).
    body = models.TextField(_("text"), blank=True)
    html = models.TextField(_("HTML"), blank=True)
    auto_submitted = models.CharField(
        _("Auto-Submitted"),
        max_length=14,
        blank=True,
        help_text=_("Empty for a person's answer, else the mail is the help desk's own doing."),
    )
    language = models.CharField(_("language"), max_length=10, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=OutboundStatus.choices, default=OutboundStatus.QUEUED
    )
    error = models.TextField(_("error"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    body_purged_at = models.DateTimeField(
        _("body removed"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("When the retention purge emptied the text and HTML body."),
    )

    objects = OutboundQuerySet.as_manager()

    class Meta:
        verbose_name = _("outbound e-mail")
        verbose_name_plural = _("outbound e-mails")
        ordering = ["created_at", "pk"]
        indexes = [
            # The ticket alone: its mail is a handful of rows, and a single-column key lets
            # PostgreSQL store each ticket once for all of them (deduplication).
            models.Index(fields=["ticket"], name="ws_outbound_ticket"),
            # No index by message: nothing reads mail by its message but the SET NULL of a
            # message deleted for good (tickets are trashed, not deleted), which may scan.
            # What the retention purge reads: sent mail whose text, or HTML, is still there.
            # Rows leave them when purged, so they stay as small as the keep times.
            models.Index(
                fields=["sent_at"],
                name="ws_outbound_to_purge",
                condition=Q(status="sent", body_purged_at__isnull=True),
            ),
            models.Index(
                fields=["sent_at"],
                name="ws_outbound_html_to_purge",
                condition=Q(status="sent") & ~Q(html=""),
            ),
        ]
        constraints = [
            # Unique by a 16-byte digest of the id rather than the id itself (~45 characters):
            # a third of the index. Look-ups use the same expression (``with_message_ids``).
            models.UniqueConstraint(MESSAGE_ID_KEY, name="ws_outbound_message_id_once")
        ]

    def __str__(self):
        return f"{self.ticket_id} <{self.email_message_id}>"

    @property
    def in_reply_to(self):
        return self.references.rpartition(" ")[2]

    @property
    def removed_notice(self):
        """What the admin shows instead of a purged text, or ""."""
        if self.body_purged_at is None:
            return ""
        days = days_kept(self.body_purged_at, self.sent_at or self.created_at)
        return ngettext(
            "Body removed after %(days)d day (retention setting).",
            "Body removed after %(days)d days (retention setting).",
            days,
        ) % {"days": days}


def days_kept(purged_at, since):
    return max((purged_at - since).days, 0) if since else 0


class Participant(models.Model):
    """Someone besides the customer who takes part in a ticket's public conversation (copied on
    an e-mail). A participant receives public replies and may write; never internal notes, and
    never becomes the customer."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="participants")
    email = models.EmailField(_("e-mail"))
    name = models.CharField(_("name"), max_length=150, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("added"), auto_now_add=True)

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [
            models.UniqueConstraint(
                fields=["ticket", "email"], name="wagtail_support_participant_once"
            )
        ]

    def __str__(self):
        return f"{self.email} on {self.ticket_id}"
