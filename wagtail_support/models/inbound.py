"""Every e-mail that reaches the help desk, stored raw before anything else happens to it, so no
failure later in the pipeline can lose it and an admin can see and reprocess what went wrong."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .intake import Source
from .mail import days_kept
from .tickets import Message, Ticket


class InboundChannel(models.TextChoices):
    WEBHOOK = "webhook", _("ESP webhook")
    IMAP = "imap", _("IMAP mailbox")
    COMMAND = "command", _("Command or admin")


class InboundStatus(models.TextChoices):
    RECEIVED = "received", _("Received, not processed yet")
    PROCESSED = "processed", _("Processed")
    DUPLICATE = "duplicate", _("Duplicate")
    DROPPED = "dropped", _("Dropped")
    QUARANTINED = "quarantined", _("Quarantined")
    FAILED = "failed", _("Failed")


class InboundEmail(models.Model):
    """One delivery of one e-mail. The same mail delivered twice is two rows (both raw copies are
    kept) but one ticket message: the later row ends as a duplicate."""

    # A stored copy refers to nothing an editor needs in Wagtail's "usage" listings, and writing
    # reference-index rows for it cost every incoming mail a few queries on each save.
    wagtail_reference_index_ignore = True

    source = models.ForeignKey(
        Source,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="inbound_emails",
        verbose_name=_("source"),
    )
    channel = models.CharField(_("channel"), max_length=10, choices=InboundChannel.choices)
    esp = models.CharField(_("ESP"), max_length=30, blank=True)
    # In the database rather than in file storage: the raw copy must be committed in the same
    # breath as the row that points at it, and a 10 MB bytea/BLOB is fine for both backends.
    raw = models.BinaryField(_("raw message"))
    rebuilt = models.BooleanField(
        _("rebuilt"),
        default=False,
        help_text=_(
            "The ESP sent parsed fields, not the original message: the raw copy is the message "
            "rebuilt from them."
        ),
    )
    size = models.PositiveIntegerField(_("size"), default=0)
    email_message_id = models.CharField(_("Message-ID"), max_length=255, blank=True)
    sender = models.CharField(_("sender"), max_length=254, blank=True)
    envelope_recipient = models.CharField(
        _("envelope recipient"),
        max_length=254,
        blank=True,
        help_text=_("The address the ESP delivered to, which the headers may not show (Bcc)."),
    )
    subject = models.CharField(_("subject"), max_length=255, blank=True)
    received_at = models.DateTimeField(_("received"), auto_now_add=True, db_index=True)
    processed_at = models.DateTimeField(_("processed"), null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=InboundStatus.choices,
        default=InboundStatus.RECEIVED,
    )
    reason = models.CharField(_("reason"), max_length=255, blank=True)
    error = models.TextField(_("error"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    ticket = models.ForeignKey(
        Ticket,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="inbound_emails",
        verbose_name=_("ticket"),
    )
    message = models.ForeignKey(
        Message,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="inbound_emails",
        verbose_name=_("message"),
    )
    raw_purged_at = models.DateTimeField(
        _("raw copy removed"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("When the retention purge emptied the raw copy."),
    )
    left_out = models.JSONField(
        _("attachments left out"),
        default=list,
        blank=True,
        help_text=_("Files over the attachment limits: name, size and why."),
    )

    class Meta:
        verbose_name = _("inbound e-mail")
        verbose_name_plural = _("inbound e-mails")
        ordering = ["-received_at", "-pk"]
        # Plain indexes rather than db_index=True, which on PostgreSQL adds a LIKE index to each
        # text column that no query uses.
        indexes = [
            models.Index(fields=["sender", "received_at"], name="ws_inbound_sender"),
            models.Index(fields=["email_message_id"], name="ws_inbound_message_id"),
            models.Index(fields=["status"], name="ws_inbound_status"),
        ]

    def __str__(self):
        return self.subject or self.email_message_id or f"#{self.pk}"

    @property
    def removed_notice(self):
        """What the admin shows instead of a purged raw copy, or ""."""
        if self.raw_purged_at is None:
            return ""
        days = days_kept(self.raw_purged_at, self.received_at)
        return ngettext(
            "Raw message removed after %(days)d day (retention setting).",
            "Raw message removed after %(days)d days (retention setting).",
            days,
        ) % {"days": days}

    @property
    def can_reprocess(self):
        if self.raw_purged_at is not None:
            return False  # nothing left to process
        return self.status in (
            InboundStatus.FAILED,
            InboundStatus.QUARANTINED,
            InboundStatus.DROPPED,
            InboundStatus.RECEIVED,
        )
