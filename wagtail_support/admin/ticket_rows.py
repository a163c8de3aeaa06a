"""The ticket page's two long lists, the conversation and the history, made ready to print.

A ticket can hold hundreds of messages and events; each row used to cost the template a
dozen lookups, two attachment querysets and two date formats. Here the labels are translated
once per page, attachments come in one query, a minute's date is formatted (and escaped) once,
a person's name is read once, and an event's line is written by ``describe()``, the one place
that knows how each kind reads. ``ticket_html`` writes the rows out.
"""

import re

from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AbstractUser
from django.db.models import F
from django.urls import reverse
from django.utils import dateformat, formats, timezone
from django.utils.html import escape
from django.utils.translation import gettext as _

from ..models import Channel, EventKind, TicketEvent
from ..models.history import entries

# Format characters finer than a minute: a format with none of them reads the same all minute.
_BELOW_MINUTE = re.compile(r"[suvUcr]")


class Stamps:
    """Sets ``when`` (the short date and time of the user's language and zone, escaped) and
    ``when_iso`` on rows, by their ``created_at``."""

    def __init__(self):
        self.format = formats.get_format("SHORT_DATETIME_FORMAT")
        self.by_minute = not _BELOW_MINUTE.search(self.format)
        self.seen = {}
        self.instants = {}

    def stamp(self, row):
        # An operation's entries share their row's moment: one conversion for all of them.
        at = row.created_at
        stamp = self.instants.get(at)
        if stamp is None:
            local = timezone.localtime(at)
            key = local.replace(second=0, microsecond=0) if self.by_minute else local
            when = self.seen.get(key)
            if when is None:
                when = self.seen[key] = escape(dateformat.format(local, self.format))
            stamp = self.instants[at] = (local.isoformat(), when)
        row.when_iso, row.when = stamp
        return row


class Names:
    """People's names as the page shows them, each user's read once per page.

    ``load()`` reads the names with the rows as plain columns rather than a user object per
    row (half of a long thread's cost was building them) when the user model names people as
    Django's own does; any other model's users are loaded and asked.
    """

    def __init__(self):
        user = get_user_model()
        as_django = (
            user.get_full_name is AbstractUser.get_full_name
            and user.get_username is AbstractBaseUser.get_username
        )
        self.columns = ("first_name", "last_name", user.USERNAME_FIELD) if as_django else None
        self.seen = {}

    def load(self, rows, relation):
        if self.columns is None:
            return rows.select_related(relation)
        return rows.annotate(
            **{f"_{relation}_{column}": F(f"{relation}__{column}") for column in self.columns}
        )

    def of(self, row, relation):
        """The name of the user ``row.<relation>``, or "" when there is none."""
        user_id = getattr(row, f"{relation}_id")
        if user_id is None:
            return ""
        name = self.seen.get(user_id)
        if name is None:
            found = self.columns and getattr(row, f"_{relation}_{self.columns[2]}", None)
            if found is None:  # not loaded by load() (an entry made from a row)
                user = getattr(row, relation)
                name = user.get_full_name() or user.get_username()
            else:
                first, last, username = (getattr(row, f"_{relation}_{c}") for c in self.columns)
                # AbstractUser.get_full_name(), on the columns.
                name = f"{first} {last}".strip() or username
            self.seen[user_id] = name
        return name


def thread(ticket, stamps, names):
    """The ticket's messages in order, each with ``author_label``, ``channel_label`` and
    ``files``; and the attachments that belong to no message."""
    channels = {value: str(label) for value, label in Channel.choices}
    by_message, loose = {}, []
    for attachment in ticket.attachments.order_by("created_at", "pk"):
        if attachment.message_id is None:
            loose.append(attachment)
        else:
            by_message.setdefault(attachment.message_id, []).append(attachment)
    # One reverse() for the page; the pattern has nothing but the id to vary.
    link = reverse("support_desk:attachment", args=[0]).removesuffix("0/") + "{}/"
    for files in (*by_message.values(), loose):
        for attachment in files:
            attachment.url = link.format(attachment.pk)
    messages = list(names.load(ticket.messages.all(), "author"))
    for message in messages:
        message.channel_label = channels.get(message.channel, message.channel)
        message.files = by_message.get(message.pk, ())
        if message.from_customer:
            message.author_label = message.author_name or message.author_email
        else:
            message.author_label = names.of(message, "author") or message.author_name
        stamps.stamp(message)
    return messages, loose


def history(ticket, stamps, names, messages):
    """The ticket's events in order, each with ``actor_label`` and ``text``; ``messages`` are
    the thread's, which the events that wrote them are given instead of reading them again."""
    words = {
        "kinds": {value: str(label) for value, label in EventKind.choices},
        "system": _("System"),
        "nobody": _("nobody"),
        "breached": _("breached"),
        "due soon": _("due soon"),
        "clock paused": _("clock paused"),
        "clock resumed": _("clock resumed"),
    }
    # Message and SLA entries ride on their operation's row; entries() gives them back.
    events = entries(with_messages(names.load(ticket.events.all(), "actor"), messages))
    for event in events:
        event.actor_label = names.of(event, "actor") or event.actor_email or words["system"]
        event.text = describe(event, words)
        stamps.stamp(event)
    return events


def with_messages(rows, messages):
    """``rows`` with their messages set from ``messages`` (by id), as ``select_related`` would:
    the thread has read them already, texts and all."""
    by_id = {message.pk: message for message in messages}
    cache = TicketEvent.message.field.set_cached_value
    for row in rows:
        message = by_id.get(row.message_id)
        if message is not None:
            cache(row, message)
        yield row


def _shown(value):
    if isinstance(value, dict) and value.get("label"):
        return str(value["label"])
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    return str(value)


def describe(event, words):
    """How the history reads an event: its kind, and for a change what changed."""
    label = words["kinds"].get(event.kind, event.kind)
    data = event.data or {}
    match event.kind:
        case EventKind.STATE:
            old, new = data.get("old") or {}, data.get("new") or {}
            return f"{label}: {old.get('name', '')} → {new.get('name', '')}"
        case EventKind.ACTION:
            values = [
                f"{key} = {_shown(value)}"
                for key, value in (data.get("values") or {}).items()
                if value is not None
            ]
            return "; ".join([f"{label}: {data.get('name', '')}", *values])
        case EventKind.ASSIGNMENT:
            new = data.get("new") or {}
            who = (new.get("user") or {}).get("label") or (new.get("group") or {}).get("label")
            return f"{label}: {who or words['nobody']}"
        case EventKind.SLA:
            return f"{label}: {_sla(data, words)}"
        case EventKind.FIELD:
            old = _shown(data["old"]) if data.get("old") else "—"
            new = _shown(data["new"]) if data.get("new") else "—"
            return f"{label}: {data.get('field', '')} {old} → {new}"
    return label


def _sla(data, words):
    target = data.get("target", "")
    if data.get("notice"):
        return f"{target} {words['breached'] if data['notice'] == 'breach' else words['due soon']}"
    if data.get("achieved"):
        took = _("took %(minutes)s business minutes") % {"minutes": data.get("minutes")}
        return f"{target} {took}" + (f" ({words['breached']})" if data.get("breached") else "")
    if data.get("clock") == "paused":
        return words["clock paused"]
    if data.get("clock") == "resumed":
        return words["clock resumed"]
    return ""
