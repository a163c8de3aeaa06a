"""Copies a played ticket life (``lives.py``) into many tickets with COPY: every row the app wrote
for the prototype (the ticket, its messages, history, stored mail in and out, read marks,
follows…) is written again with a new ticket, customer, agent, subject, texts and moments.

Each step of the prototype's life is moved to a moment of the copy's own life; a timestamp is
mapped by the step it fell in. The SLA projection is then recomputed for the copy's real times
with the app's own clock (``sla.clock``, ``sla.tracking``), so due times, achieved minutes and
breaches are what the app would have stored.
"""

import bisect
import datetime as dt
import json
import re
from dataclasses import dataclass, field

from wagtail_support.mail.addresses import token_for
from wagtail_support.models import history
from wagtail_support.sla import clock, tracking

# Columns that hold a user: the prototype's agent and customer are replaced by the copy's.
USER_COLUMNS = {"actor_id", "author_id", "assignee_id", "user_id", "customer_id", "deleted_by_id"}
# Columns the database derives from the others (the search document and the state's rank, the
# triggers of migrations 0022 and 0026): each copy gets its own from its own text and state.
DERIVED_COLUMNS = {"search_document", "state_rank"}


@dataclass
class Prototype:
    ticket_id: int
    number: str
    subject: str
    agent: object
    customer: object
    texts: dict
    steps: list  # the instant each step began
    tables: dict = field(default_factory=dict)  # table -> (columns, rows)
    state_type: str = ""
    mail_ids: tuple = ()  # Message-IDs of the mail the customer sent


def capture(ticket, steps, agent, customer, texts, related_tables):
    """Reads back every row the app wrote for ``ticket``."""
    from django.db import connection

    proto = Prototype(ticket.pk, ticket.number, ticket.subject, agent, customer, texts, list(steps))
    proto.state_type = ticket.state.type
    proto.mail_ids = tuple(
        ticket.messages.exclude(email_message_id=None).values_list("email_message_id", flat=True)
    )
    with connection.cursor() as cursor:
        for table, column in [("wagtail_support_ticket", "id"), *related_tables]:
            cursor.execute(
                f'SELECT * FROM "{table}" WHERE "{column}" = %s ORDER BY id', [ticket.pk]
            )
            columns = [d.name for d in cursor.description]
            kept = [i for i, name in enumerate(columns) if name not in DERIVED_COLUMNS]
            rows = [tuple(row[i] for i in kept) for row in cursor.fetchall()]
            if rows:
                proto.tables[table] = ([columns[i] for i in kept], rows)
    return proto


@dataclass
class Copy:
    """What differs in one copy of a prototype."""

    ticket_id: int
    number: str
    subject: str
    agent: object
    customer: object
    priority: int
    texts: dict
    steps: list  # the copy's instant for each step of the prototype


class Cloner:
    """Turns a prototype's rows into a copy's rows. ``ids`` hands out primary keys per table."""

    def __init__(self, ids, policies, now, rng):
        self.ids = ids
        self.policies = policies  # (source_id, priority, customer_id) -> sla Policy
        self.now = now
        self.rng = rng

    def rows(self, proto, copy):
        """Yields (table, columns, row) for every row of the copy, parents first."""
        replace = self._replacer(proto, copy)
        map_time = self._time_mapper(proto.steps, copy.steps)
        message_ids = {}
        users = {proto.agent.pk: copy.agent.pk, proto.customer.pk: copy.customer.pk}
        out = {}
        for table, (columns, rows) in proto.tables.items():
            out[table] = []
            for row in rows:
                values = []
                for column, value in zip(columns, row, strict=True):
                    if column == "id":
                        new = copy.ticket_id if table.endswith("_ticket") else self.ids.take(table)
                        if table.endswith("_message"):
                            message_ids[value] = new
                        value = new
                    elif column == "ticket_id":
                        value = copy.ticket_id
                    elif column == "message_id" and value is not None:
                        value = message_ids[value]
                    elif column in USER_COLUMNS and value is not None:
                        value = users.get(value, value)
                    elif column == "priority":
                        value = copy.priority
                    elif isinstance(value, dt.datetime):
                        value = map_time(value)
                    elif isinstance(value, str):
                        value = replace(value)
                    elif isinstance(value, bytes | memoryview):
                        value = replace(bytes(value).decode("utf-8", "surrogateescape")).encode(
                            "utf-8", "surrogateescape"
                        )
                    values.append(value)
                out[table].append(dict(zip(columns, values, strict=True)))
        ticket = out["wagtail_support_ticket"][0]
        ticket["sla_pauses"] = json.dumps(
            [
                [map_time(dt.datetime.fromisoformat(a)).isoformat(),
                 map_time(dt.datetime.fromisoformat(b)).isoformat() if b else None]
                for a, b in json.loads(ticket["sla_pauses"])
            ]
        )  # fmt: skip
        self._sla(ticket, out, proto)
        for table, rows in out.items():
            for row in rows:
                yield table, row

    def _replacer(self, proto, copy):
        pairs = {
            proto.number: copy.number,
            proto.subject: copy.subject,
            f"ws.{proto.ticket_id}.": f"ws.{copy.ticket_id}.",
            token_for(proto.ticket_id): token_for(copy.ticket_id),
            proto.customer.email: copy.customer.email,
            proto.customer.get_full_name(): copy.customer.get_full_name(),
            proto.agent.email: copy.agent.email,
            proto.agent.get_full_name(): copy.agent.get_full_name(),
            f'"label": "{proto.agent.username}"': f'"label": "{copy.agent.username}"',
            f'"id": {proto.agent.pk},': f'"id": {copy.agent.pk},',
        }
        for key, text in proto.texts.items():
            pairs[text] = copy.texts[key]
        for i, message_id in enumerate(proto.mail_ids):
            # Message-IDs are unique: each copy's mail gets its own.
            pairs[message_id] = f"c{copy.ticket_id}.{i}.{message_id}"
        pairs = {old: new for old, new in pairs.items() if old}
        # Longest first, and a number never matches the start of a longer one (WEB-1 in WEB-12).
        pattern = re.compile(
            "|".join(
                re.escape(old) + (r"(?!\d)" if old == proto.number else "")
                for old in sorted(pairs, key=len, reverse=True)
            )
        )
        return lambda text: pattern.sub(lambda match: pairs[match.group(0)], text)

    @staticmethod
    def _time_mapper(proto_steps, copy_steps):
        def map_time(value):
            index = max(bisect.bisect_right(proto_steps, value) - 1, 0)
            return copy_steps[index] + (value - proto_steps[index])

        return map_time

    def _sla(self, ticket, out, proto):
        """The SLA projection for the copy's own times, as ``sla.tracking`` computes it."""
        policy = self.policies(ticket)
        schedule = policy.schedule or clock.ROUND_THE_CLOCK
        targets = policy.targets
        pauses = tracking.load_pauses(ticket["sla_pauses"] and json.loads(ticket["sla_pauses"]))
        created, first = ticket["created_at"], ticket["first_response_at"]
        stopped = proto.state_type in tracking.STOPPED_TYPES
        minutes = tracking._minutes
        if first is not None and ticket["first_response_minutes"] is not None:
            ticket["first_response_minutes"] = minutes(schedule, created, first, pauses)
            ticket["first_response_breached"] = tracking._over(
                ticket["first_response_minutes"], targets.first_response
            )
        if (
            stopped
            and ticket["resolved_at"] is not None
            and ticket["resolution_minutes"] is not None
        ):
            ticket["resolution_minutes"] = minutes(schedule, created, ticket["resolved_at"], pauses)
            ticket["resolution_breached"] = tracking._over(
                ticket["resolution_minutes"], targets.resolution
            )
        self._achieved_events(out, ticket, schedule, targets, pauses)
        timeline = clock.Timeline(created, first, ticket["awaiting_reply_since"], stopped, pauses)
        due = clock.compute(schedule, targets, timeline)
        ticket["first_response_due"] = due.first_response
        ticket["next_response_due"] = due.next_response
        ticket["resolution_due"] = due.resolution
        ticket["sla_due"] = due.earliest()
        for target in clock.TARGETS:
            at = getattr(due, target)
            if at is not None and at <= self.now:
                # The escalation scan has long since seen this breach.
                ticket[f"{target}_breached"] = True
        check = tracking.next_check(due, policy.warning_minutes, self.now)
        ticket["sla_check_at"] = check if check is not None and check > self.now else None
        ticket["service_level_id"] = policy.level_id

    def _achieved_events(self, out, ticket, schedule, targets, pauses):
        """Achieved-target history entries carry the copy's minutes, not the prototype's."""
        customer_times = sorted(
            m["created_at"]
            for m in out.get("wagtail_support_message", ())
            if m["from_customer"] and m["kind"] == "reply"
        )
        for event in out.get("wagtail_support_ticketevent", ()):
            if '"achieved"' not in event["data"] and '"sla"' not in event["data"]:
                continue
            # An operation's SLA figures are a list under "sla" in its first row, achieved ones
            # stored compacted (or, written before that, a row of their own).
            data = json.loads(event["data"])
            measured = data.get("sla", []) if event["kind"] != "sla" else [data]
            for i, item in enumerate(measured):
                figure = history.expanded_figure(item)
                if figure.get("achieved"):
                    self._achieved(figure, event["created_at"], ticket, customer_times, schedule,
                                   targets, pauses)  # fmt: skip
                    if isinstance(item, list):
                        measured[i] = history.compacted_figure(figure)
                    else:
                        item.update(figure)
            event["data"] = json.dumps(data)

    def _achieved(self, data, end, ticket, customer_times, schedule, targets, pauses):
        if data["target"] == "first_response":
            start = ticket["created_at"]
        elif data["target"] == "resolution":
            start, end = ticket["created_at"], ticket["resolved_at"] or end
        else:
            earlier = [t for t in customer_times if t < end]
            start = earlier[-1] if earlier else ticket["created_at"]
        data["minutes"] = tracking._minutes(schedule, start, end, pauses)
        data["breached"] = tracking._over(data["minutes"], getattr(targets, data["target"]))
        if data["target"] == "next_response" and data["breached"]:
            ticket["next_response_breached"] = True
