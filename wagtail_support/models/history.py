from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .tickets import Message, MessageKind, Ticket


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

    Stored densely (``entries()`` gives them back one per change, whole): the message an action
    or a new request wrote hangs on that action's or creation's row instead of a row of its own,
    and so do the state, assignment and field changes it made, as ``[kind, data]`` pairs in order
    under ``"changes"``; the service-level figures an operation measured are a list under
    ``"sla"`` in its first row's data. Rows store ``data`` compacted (``compacted()``: no value a
    reader can take as given, a state as ``[slug, name, type]``). Changes without an action
    (a customer's message reopening a ticket), customers' messages, follows, ratings and SLA
    notices keep rows of their kind. Rows written before 0026 are whole, one per change, and
    read the same.
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
    # Groups the events of one operation (an action with its state and assignment changes): the
    # ticket's version that operation wrote, unique within the ticket.
    operation = models.PositiveIntegerField(null=True, blank=True)
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
            # The ticket alone: a ticket's events are read together and sorted in memory, and a
            # single-column key lets PostgreSQL store each ticket once for all of them.
            models.Index(fields=["ticket"], name="ws_event_ticket"),
            # No index by actor or message: nothing reads events by them, and they would serve
            # only the SET NULL of a user or message deleted for good (tickets are trashed, not
            # deleted), which may scan the table instead (~150 bytes a ticket saved).
        ]

    def __str__(self):
        return f"{self.ticket_id} {self.kind}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not kwargs.get("force_insert"):
            raise AppendOnly("Ticket history is append-only; write a new event instead.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnly("Ticket history is append-only; events are never deleted.")


def entries(rows):
    """The history one entry per change, as it was recorded: ``rows`` (events of one ticket in
    order, with their messages loaded) with the message and SLA entries stored inside them given
    back as events of their own kinds (unsaved), each after the changes of its operation."""
    found, pending, operation = [], [], object()
    for row in rows:
        if row.operation != operation or row.operation is None:
            found.extend(pending)
            pending, operation = [], row.operation
        data = row.data if isinstance(row.data, dict) else {}
        measured, changes = data.get("sla"), data.get("changes")
        if measured is not None or changes is not None:
            data = {key: value for key, value in data.items() if key not in ("sla", "changes")}
        row.data = expanded(row.kind, data)
        found.append(row)
        if row.kind in WITH_MESSAGE and row.message_id is not None:
            message = row.message
            kind = EventKind.NOTE if message.kind == MessageKind.NOTE else EventKind.MESSAGE
            data = {"from_customer": True} if message.from_customer else {}
            found.append(_entry(row, kind, data, message=message))
        found.extend(_entry(row, kind, expanded(kind, change)) for kind, change in changes or ())
        pending.extend(_entry(row, EventKind.SLA, expanded_figure(item)) for item in measured or ())
    found.extend(pending)
    return found


# The kinds whose row carries the message its operation wrote, and the changes it made.
WITH_MESSAGE = (EventKind.CREATED, EventKind.ACTION)
# The changes an action or a new request makes, kept in its row as ``"changes": [[kind, data]]``.
FOLDED = (EventKind.STATE, EventKind.ASSIGNMENT, EventKind.FIELD)


def _entry(row, kind, data, message=None):
    values = {
        "id": None,
        "ticket_id": row.ticket_id,
        "kind": kind,
        "actor_id": row.actor_id,
        "actor_email": row.actor_email,
        "message_id": message and message.pk,
        "data": data,
        "operation": row.operation,
        "created_at": row.created_at,
    }
    # Positional, as rows read from the database are built: a long history has hundreds.
    entry = TicketEvent(*[values[name] for name in _ATTNAMES])
    if message is not None:
        TicketEvent.message.field.set_cached_value(entry, message)
    if TicketEvent.actor.is_cached(row):
        TicketEvent.actor.field.set_cached_value(entry, row.actor)  # no query per entry
    return entry


_ATTNAMES = [field.attname for field in TicketEvent._meta.concrete_fields]


def packed(events):
    """The rows that store ``events`` (one operation's, in order): the inverse of ``entries()``."""
    rows, host = [], None
    for event in events:
        if event.kind in WITH_MESSAGE and host is None:
            host = _copy(event)
            rows.append(host)
        elif event.kind in (EventKind.MESSAGE, EventKind.NOTE) and _carries(host, event):
            host.message = event.message
        elif event.kind == EventKind.SLA and rows:
            target = host or rows[0]
            measured = [*target.data.get("sla", ()), compacted_figure(event.data)]
            target.data = {**target.data, "sla": measured}
        elif event.kind in FOLDED and host is not None and rows[-1] is host:
            # Only while nothing else followed the host: read back, the order stays as recorded.
            change = [str(event.kind), compacted(event.kind, event.data or {})]
            host.data = {**host.data, "changes": [*host.data.get("changes", ()), change]}
        else:
            rows.append(_copy(event))
    return rows


def _carries(host, event):
    # The entry given back must be the one recorded: a customer's message on an agent's action
    # (never written today) or a second message keeps its own row.
    if host is None or host.message is not None or event.message is None:
        return False
    if "changes" in host.data:  # read back before the changes it followed
        return False
    kind = EventKind.NOTE if event.message.kind == MessageKind.NOTE else EventKind.MESSAGE
    recorded = {"from_customer": True} if event.message.from_customer else {}
    return kind == event.kind and (event.data or {}) == recorded


def _copy(event):
    return TicketEvent(
        ticket=event.ticket,
        kind=event.kind,
        actor=event.actor,
        actor_email=event.actor_email,
        message=event.message,
        data=compacted(event.kind, event.data or {}),
        operation=event.operation,
    )


# A state as its change stores it: a list in this order rather than an object, whose keys JSONB
# would store again in every row (reports read the new state's slug as data->'new'->>0); the
# type is left out when it is the slug, as in most workflows' new, resolved and closed states.
STATE_KEYS = ("slug", "name", "type")


def _stored_state(state):
    slug, name, kind = (state.get(part) for part in STATE_KEYS)
    return [slug, name] if kind == slug else [slug, name, kind]


def compacted(kind, data):
    """``data`` as a row stores it: without the values a reader can take as given (no one, not
    spam, no values, derived from the rest). ``expanded()`` gives back what was recorded."""
    match kind:
        case EventKind.STATE:
            return {
                key: _stored_state(value) if isinstance(value, dict) else value
                for key, value in data.items()
            }
        case EventKind.ASSIGNMENT:
            sides = {
                key: {part: who for part, who in value.items() if who is not None}
                for key, value in data.items()
            }
            return {key: value for key, value in sides.items() if value}
        case EventKind.CREATED:
            return {
                key: value
                for key, value in data.items()
                if value is not None and key != "unassigned" and (key, value) != ("spam", False)
            }
        case EventKind.ACTION:
            return {key: value for key, value in data.items() if (key, value) != ("values", {})}
        case EventKind.FIELD:
            return {key: value for key, value in data.items() if value is not None}
    return dict(data)


def expanded(kind, data):
    """What was recorded, from a row's ``data`` stored whole (older rows) or compacted."""
    match kind:
        case EventKind.STATE:
            return {
                key: dict(zip(STATE_KEYS, [*value, value[0]][:3], strict=True))
                if isinstance(value, list)
                else value
                for key, value in data.items()
            }
        case EventKind.ASSIGNMENT:
            return {
                side: {"user": None, "group": None, **data.get(side, {})} for side in ("old", "new")
            }
        case EventKind.CREATED:
            found = {"entered_by": None, "assignee": None, "group": None, "spam": False, **data}
            found.setdefault("unassigned", found["assignee"] is None and found["group"] is None)
            return found
        case EventKind.ACTION:
            return {"values": {}, **data}
        case EventKind.FIELD:
            return {"old": None, "new": None, **data}
    return data


# An achieved target as an operation's row stores it, ``[target, minutes, target minutes]`` and
# ``true`` when breached, rather than an object whose keys JSONB would store in every row.
_ACHIEVED = {"target", "achieved", "minutes", "target_minutes", "breached"}


def compacted_figure(item):
    """One SLA figure of ``"sla"`` as stored; ``expanded_figure()`` gives it back."""
    if item.keys() != _ACHIEVED or item["achieved"] is not True:
        return item
    stored = [item["target"], item["minutes"], item["target_minutes"]]
    return [*stored, True] if item["breached"] else stored


def expanded_figure(item):
    if not isinstance(item, list):
        return item
    target, minutes, target_minutes, *breached = item
    return {
        "target": target,
        "achieved": True,
        "minutes": minutes,
        "target_minutes": target_minutes,
        "breached": bool(breached),
    }
