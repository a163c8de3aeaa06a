"""Tickets like this one (R-DK7): trigram similarity of subjects on PostgreSQL, shared words
elsewhere; always within what the agent may see.

Subjects are compared by their topic: without reply prefixes, bracketed references and words
holding digits (order, invoice and serial numbers), which name one case rather than what it is
about. On PostgreSQL the nearest topics are read from a trigram GiST index on that expression
(migration 0025) in distance order, so the scan stops after a few rows instead of scoring every
ticket. On the subject itself, a subject with an order number had no near neighbour (every other
ticket has another number), and the scan read most of the index for it."""

import re

from django.db import connection
from django.db.models import Case, Func, IntegerField, Q, TextField, Value, When

from . import access

WORD = re.compile(r"\w{4,}", re.UNICODE)
MIN_SIMILARITY = 0.15
# Equal to the expression of the index in migration 0025, or the planner cannot use it.
TOPIC_PATTERN = r"^(\s*((re|fwd?|aw|wg|sv|odp|pd)\s*:|\[[^]]*\]))+|\S*\d\S*"
NOT_TOPIC = re.compile(TOPIC_PATTERN, re.IGNORECASE)


class Topic(Func):
    """The subject's topic, in SQL (regular expressions of PostgreSQL)."""

    function = "REGEXP_REPLACE"
    template = f"%(function)s(%(expressions)s, '{TOPIC_PATTERN}', ' ', 'gi')"
    output_field = TextField()


def topic(subject):
    """The subject's topic, in Python."""
    return NOT_TOPIC.sub(" ", subject)


def similar_tickets(ticket, user, limit=5):
    candidates = (
        access.visible_tickets(user)
        .exclude(pk=ticket.pk)
        .filter(is_spam=False)
        .select_related("state")
    )
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import TrigramDistance

        # Ordered by distance alone, which is what the index yields (a second sort key would
        # make PostgreSQL score every ticket). The threshold is applied to those few rows here:
        # as a WHERE it would be checked against every ticket whenever fewer than ``limit`` pass.
        nearest = candidates.annotate(
            distance=TrigramDistance(Topic("subject"), Topic(Value(ticket.subject)))
        ).order_by("distance")[:limit]
        found = []
        for other in nearest:
            other.similarity = 1 - other.distance
            if other.similarity >= MIN_SIMILARITY:
                found.append(other)
        # Equally near subjects: the newer ticket first.
        found.sort(key=lambda other: (other.distance, -other.created_at.timestamp()))
        return found
    words = sorted({word.lower() for word in WORD.findall(topic(ticket.subject))})[:8]
    if not words:
        return []
    score = sum(
        (
            Case(When(subject__icontains=word, then=Value(1)), default=Value(0),
                 output_field=IntegerField())
            for word in words
        ),
        Value(0),
    )  # fmt: skip
    matches = Q()
    for word in words:
        matches |= Q(subject__icontains=word)
    return list(
        candidates.filter(matches)
        .annotate(similarity=score)
        .order_by("-similarity", "-created_at")[:limit]
    )
