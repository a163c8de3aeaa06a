from django.conf import settings
from django.contrib.auth.models import Group
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Upper
from django.utils.translation import gettext_lazy as _

from ..workflows.models import State, StateType, Workflow
from .intake import Category, Source


class Priority(models.IntegerChoices):
    # Numbers, so "urgent first" is a plain descending sort.
    LOW = 10, _("Low")
    NORMAL = 20, _("Normal")
    HIGH = 30, _("High")
    URGENT = 40, _("Urgent")


class Complexity(models.IntegerChoices):
    SIMPLE = 1, _("Simple")
    MEDIUM = 2, _("Medium")
    COMPLEX = 3, _("Complex")


class Kind(models.TextChoices):
    SERVICE_REQUEST = "request", _("Service request")
    INCIDENT = "incident", _("Incident")


class Channel(models.TextChoices):
    WEB = "web", _("Website")
    EMAIL = "email", _("E-mail")
    PHONE = "phone", _("Phone")
    ADMIN = "admin", _("Admin")
    API = "api", _("API")
    SYSTEM = "system", _("System")


class TicketQuerySet(models.QuerySet):
    def alive(self):
        return self.filter(deleted_at__isnull=True)

    def trashed(self):
        return self.filter(deleted_at__isnull=False)


class Ticket(models.Model):
    """A request. Its columns are the current projection of its history (TicketEvent); only the
    workflow engine and intake change them."""

    # Unique by a constraint (Meta), not unique=True, which on PostgreSQL adds a LIKE index that
    # no query uses: numbers are matched whole.
    number = models.CharField(_("number"), max_length=30, editable=False)
    source = models.ForeignKey(
        Source, on_delete=models.PROTECT, related_name="tickets", verbose_name=_("source")
    )
    workflow = models.ForeignKey(
        Workflow, on_delete=models.PROTECT, related_name="tickets", verbose_name=_("workflow")
    )
    # Indexed by ws_ticket_queue, which leads with the state.
    state = models.ForeignKey(
        State,
        on_delete=models.PROTECT,
        related_name="tickets",
        verbose_name=_("state"),
        db_index=False,
    )
    subject = models.CharField(_("subject"), max_length=255)

    # Indexed by ws_ticket_customer, which leads with the customer.
    customer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="support_tickets",
        verbose_name=_("customer"),
        db_index=False,
    )
    customer_email = models.EmailField(_("customer's e-mail"), blank=True)
    customer_name = models.CharField(_("customer's name"), max_length=150, blank=True)

    # Indexed by ws_ticket_assignee, which leads with the assignee.
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_support_tickets",
        verbose_name=_("assignee"),
        db_index=False,
    )
    assigned_group = models.ForeignKey(
        Group,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="support_tickets",
        verbose_name=_("group"),
    )

    category = models.ForeignKey(
        Category,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tickets",
        verbose_name=_("category"),
    )
    priority = models.PositiveSmallIntegerField(
        _("priority"), choices=Priority.choices, default=Priority.NORMAL
    )
    complexity = models.PositiveSmallIntegerField(
        _("complexity"), choices=Complexity.choices, null=True, blank=True
    )
    kind = models.CharField(
        _("kind"), max_length=10, choices=Kind.choices, default=Kind.SERVICE_REQUEST
    )
    custom_fields = models.JSONField(_("custom fields"), default=dict, blank=True)
    language = models.CharField(_("language"), max_length=10, blank=True)

    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    last_activity_at = models.DateTimeField(_("last activity"), null=True, blank=True)
    first_response_at = models.DateTimeField(_("first response"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    state_changed_at = models.DateTimeField(_("in this state since"), null=True, blank=True)

    # Service level: the projection the SLA code (sla/tracking.py) keeps after every change.
    service = models.ForeignKey(
        "wagtail_support.Service",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tickets",
        verbose_name=_("service"),
    )
    service_level = models.ForeignKey(
        "wagtail_support.ServiceLevel",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tickets",
        verbose_name=_("service level"),
    )
    first_response_due = models.DateTimeField(_("first response due"), null=True, blank=True)
    next_response_due = models.DateTimeField(_("next response due"), null=True, blank=True)
    resolution_due = models.DateTimeField(_("resolution due"), null=True, blank=True)
    # The earliest running due time: the inbox sorts at-risk tickets first by it.
    sla_due = models.DateTimeField(_("due"), null=True, blank=True)
    # When the escalation scan must look at the ticket next (a warning or a breach falls due);
    # null when nothing is pending, so the scan reads only the rows it must act on.
    sla_check_at = models.DateTimeField(null=True, blank=True, editable=False)
    awaiting_reply_since = models.DateTimeField(
        _("waiting for an answer since"), null=True, blank=True
    )
    sla_pauses = models.JSONField(
        _("SLA pauses"),
        default=list,
        blank=True,
        help_text=_("[start, end] pairs (ISO instants) of time that did not count."),
    )
    first_response_minutes = models.PositiveIntegerField(
        _("first response took (business minutes)"), null=True, blank=True
    )
    resolution_minutes = models.PositiveIntegerField(
        _("resolution took (business minutes)"), null=True, blank=True
    )
    first_response_breached = models.BooleanField(_("first response breached"), default=False)
    next_response_breached = models.BooleanField(_("a next response breached"), default=False)
    resolution_breached = models.BooleanField(_("resolution breached"), default=False)

    # A duplicate merged into another ticket (merge.py): mail and links to its number follow
    # this to the survivor. No index: it is read from the duplicate's row, never searched by.
    merged_into = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
        verbose_name=_("merged into"),
    )
    # The ticket a message was split out of (merge.py), shown as a link on the new ticket.
    split_from = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
        verbose_name=_("split from"),
    )
    is_spam = models.BooleanField(_("spam"), default=False)
    deleted_at = models.DateTimeField(_("deleted"), null=True, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    guest_link_version = models.PositiveIntegerField(
        _("guest link version"),
        default=1,
        help_text=_("Raised to revoke every guest link sent so far."),
    )
    version = models.PositiveIntegerField(
        _("version"), default=1, help_text=_("Raised by every change; guards against lost updates.")
    )
    # The last version whose notifications are planned (mail/pending.py): an operation above it
    # is a change whose notify_change has not run yet, which the periodic sweep finds.
    notified_version = models.PositiveIntegerField(default=1, editable=False)

    objects = TicketQuerySet.as_manager()

    class Meta:
        verbose_name = _("ticket")
        verbose_name_plural = _("tickets")
        ordering = ["-priority", "created_at"]
        indexes = [
            models.Index(fields=["state", "-priority", "created_at"], name="ws_ticket_queue"),
            models.Index(fields=["assignee", "state"], name="ws_ticket_assignee"),
            models.Index(fields=["customer", "-last_activity_at"], name="ws_ticket_customer"),
            models.Index(fields=["customer_email"], name="ws_ticket_customer_email"),
            # customer_email__iexact (a guest's requests, the confirmations' hourly cap) compares
            # UPPER(customer_email), which the plain index above cannot serve.
            models.Index(Upper("customer_email"), name="ws_ticket_customer_email_ci"),
            models.Index(
                fields=["sla_check_at"],
                name="ws_ticket_sla_check",
                condition=Q(sla_check_at__isnull=False),
            ),
            models.Index(fields=["state", "state_changed_at"], name="ws_ticket_state_since"),
            # The inbox's default order (urgent first, then oldest) and its at-risk order, so a
            # page of a long list is read from an index instead of sorting every row.
            models.Index(fields=["-priority", "created_at"], name="ws_ticket_inbox_order"),
            models.Index(fields=["sla_due", "-priority"], name="ws_ticket_due_order"),
            # The inbox's other sortable columns. Trigram indexes for similar tickets and customer
            # look-ups, and the reversed at-risk order, exist on PostgreSQL only (migration 0020),
            # as does ``search_document``, the full-text search column: no model field, its
            # triggers keep it (migration 0022, wagtail_support/search.py); so does
            # ``state_rank``, the state's place for the sort by state, and its two indexes
            # (migration 0026, admin/inbox.py).
            models.Index(fields=["created_at"], name="ws_ticket_created"),
            models.Index(fields=["last_activity_at"], name="ws_ticket_activity"),
            models.Index(fields=["subject"], name="ws_ticket_subject"),
            # Every column an agent's visibility and the built-in lists test: the paginator's
            # count of a long list is read from this index alone.
            models.Index(
                fields=["state", "is_spam", "assignee", "assigned_group"],
                name="ws_ticket_live",
                condition=Q(deleted_at__isnull=True),
            ),
            # The trash, newest first, and the purge of what has been there too long: a few
            # rows, so the index is small.
            models.Index(
                fields=["deleted_at"],
                name="ws_ticket_trash",
                condition=Q(deleted_at__isnull=False),
            ),
            # Changes whose notifications are not planned yet: a handful of rows at any time,
            # so the periodic sweep reads them without scanning the table.
            models.Index(
                fields=["updated_at"],
                name="ws_ticket_unnotified",
                condition=Q(version__gt=F("notified_version")),
            ),
            # Deleting a ticket nulls the links to it: these find the few tickets that have one
            # without reading the table, and cost nothing for the rest.
            models.Index(
                fields=["merged_into"],
                name="ws_ticket_merged_into",
                condition=Q(merged_into__isnull=False),
            ),
            models.Index(
                fields=["split_from"],
                name="ws_ticket_split_from",
                condition=Q(split_from__isnull=False),
            ),
        ]
        constraints = [
            models.UniqueConstraint(fields=["number"], name="ws_ticket_number_once"),
            models.CheckConstraint(
                condition=Q(customer__isnull=False) | ~Q(customer_email=""),
                name="wagtail_support_ticket_has_customer",
            ),
        ]
        permissions = [
            ("work_on_tickets", _("Can work on tickets as an agent")),
            ("view_all_tickets", _("Can see every ticket, whatever its state")),
            ("manage_trash", _("Can open, restore from and empty the trash of tickets")),
            ("handle_spam", _("Can mark tickets as spam and release them")),
            ("move_tickets", _("Can change a ticket's subject and move it to another source")),
            ("merge_tickets", _("Can merge and split tickets")),
        ]

    def __str__(self):
        return f"{self.number} {self.subject}"

    @property
    def sla_paused(self):
        """Whether the SLA clocks wait in a state that pauses them; a resolved or closed ticket's
        clocks are stopped, not paused."""
        open_pause = bool(self.sla_pauses) and self.sla_pauses[-1][1] is None
        return open_pause and self.state.type not in (StateType.RESOLVED, StateType.CLOSED)

    @property
    def customer_display(self):
        if self.customer_id:
            return self.customer.get_full_name() or self.customer.get_username()
        return self.customer_name or self.customer_email


class TicketCounter(models.Model):
    """The last number given out under a prefix; its row is locked while a number is taken."""

    prefix = models.CharField(max_length=10, primary_key=True)
    last_value = models.PositiveBigIntegerField(default=0)

    def __str__(self):
        return f"{self.prefix}{self.last_value}"


class MessageKind(models.TextChoices):
    REPLY = "reply", _("Public reply")
    NOTE = "note", _("Internal note")


class Message(models.Model):
    # Indexed by ws_message_thread, which leads with the ticket.
    ticket = models.ForeignKey(
        Ticket, on_delete=models.CASCADE, related_name="messages", db_index=False
    )
    kind = models.CharField(_("kind"), max_length=10, choices=MessageKind.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("author"),
    )
    author_email = models.EmailField(_("author's e-mail"), blank=True)
    author_name = models.CharField(_("author's name"), max_length=150, blank=True)
    from_customer = models.BooleanField(_("from the customer"), default=False)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    text = models.TextField(_("text"), blank=True)
    html = models.TextField(_("HTML"), blank=True, help_text=_("Sanitised before it is stored."))
    # Unique by a constraint, not unique=True, which on PostgreSQL adds a second (LIKE) index
    # that no query uses.
    email_message_id = models.CharField(
        _("e-mail Message-ID"), max_length=255, null=True, blank=True
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["ticket", "created_at"], name="ws_message_thread")]
        constraints = [
            # Only messages that came or went by e-mail have a Message-ID (one in seven on a
            # desk): the others stay out of the index. Look-ups by a Message-ID imply it is
            # not null, so the planner uses this index for them as before.
            models.UniqueConstraint(
                fields=["email_message_id"],
                condition=Q(email_message_id__isnull=False),
                name="ws_message_email_id_once",
            )
        ]

    def __str__(self):
        return f"{self.ticket.number} #{self.pk}"

    @property
    def is_internal(self):
        return self.kind == MessageKind.NOTE


class Follow(models.Model):
    """An agent who is told of every change to a ticket."""

    # Indexed by wagtail_support_follow_once, which leads with the ticket.
    ticket = models.ForeignKey(
        Ticket, on_delete=models.CASCADE, related_name="follows", db_index=False
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="followed_support_tickets"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["ticket", "user"], name="wagtail_support_follow_once")
        ]

    def __str__(self):
        return f"{self.user} follows {self.ticket_id}"


class ReadMark(models.Model):
    """When a user last read a ticket; the ticket is unread for them after its last activity."""

    # Indexed by wagtail_support_read_once, which leads with the ticket.
    ticket = models.ForeignKey(
        Ticket, on_delete=models.CASCADE, related_name="read_marks", db_index=False
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    read_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["ticket", "user"], name="wagtail_support_read_once")
        ]

    def __str__(self):
        return f"{self.user} read {self.ticket_id} at {self.read_at:%Y-%m-%d %H:%M}"
