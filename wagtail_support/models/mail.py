"""What the help desk knows of e-mail beyond the messages themselves: every message it sent (so a
reply's In-Reply-To finds its ticket) and the people copied on a ticket's conversation."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

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


class OutboundEmail(models.Model):
    """One e-mail the help desk sent (or is sending) about a ticket.

    ``email_message_id`` is stored without angle brackets (``mail.headers.normalize_message_id``)
    and unique, so a reply's In-Reply-To or References finds its ticket in one indexed look-up.
    """

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="outbound_emails")
    message = models.ForeignKey(
        Message,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="outbound_emails",
        help_text=_("The ticket message this e-mail carries, if any."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=OutboundKind.choices)
    email_message_id = models.CharField(_("Message-ID"), max_length=255, unique=True)
    in_reply_to = models.CharField(_("In-Reply-To"), max_length=255, blank=True)
    references = models.TextField(_("References"), blank=True)
    to = models.JSONField(_("to"), default=list)
    cc = models.JSONField(_("cc"), default=list, blank=True)
    subject = models.CharField(_("subject"), max_length=255, blank=True)
    # The message as rendered when it was queued: a retry sends exactly this, and the desk can
    # show what a customer was sent.
    body = models.TextField(_("text"), blank=True)
    html = models.TextField(_("HTML"), blank=True)
    headers = models.JSONField(_("headers"), default=dict, blank=True)
    language = models.CharField(_("language"), max_length=10, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=OutboundStatus.choices, default=OutboundStatus.QUEUED
    )
    error = models.TextField(_("error"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("outbound e-mail")
        verbose_name_plural = _("outbound e-mails")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["ticket", "created_at"], name="ws_outbound_ticket")]

    def __str__(self):
        return f"{self.ticket_id} <{self.email_message_id}>"


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
