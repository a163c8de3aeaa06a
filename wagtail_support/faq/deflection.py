"""Deflection: did a FAQ suggestion answer the question before it became a request?

Every showing of a contact form carries its own signed "started" token (contact/spam.py). When a
visitor opens a suggested entry, the entry is recorded against a hash of that token; when the same
form is sent, its openings are marked with the new ticket. A form whose openings stay unsent for
``WAGTAIL_SUPPORT_FAQ_ABANDONED_AFTER_HOURS`` counts as abandoned after reading the FAQ: the
honest upper bound of requests the FAQ saved (the visitor may also just have given up).
"""

import hashlib
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Min, Q
from django.utils import timezone

from ..conf import support_settings


def form_key(started_token):
    if not started_token:
        return ""
    return hashlib.sha256(started_token.encode()).hexdigest()[:64]


def record_open(entry, started_token, typed=""):
    """Notes that ``entry`` was opened from the form shown with ``started_token``; once each."""
    from ..models import FAQSuggestionOpen

    key = form_key(started_token)
    if not key:
        return None
    try:
        with transaction.atomic():
            opened, _created = FAQSuggestionOpen.objects.get_or_create(
                form_key=key,
                entry=entry,
                defaults={"question": entry.question[:255], "typed": " ".join(typed.split())[:255]},
            )
    except IntegrityError:  # the same opening reported twice at once
        opened = FAQSuggestionOpen.objects.get(form_key=key, entry=entry)
    return opened


def form_sent(started_token, ticket):
    """Called when a contact form is sent: its openings, if any, led to ``ticket`` after all."""
    from ..models import FAQSuggestionOpen

    key = form_key(started_token)
    if key:
        FAQSuggestionOpen.objects.filter(form_key=key, sent_at__isnull=True).update(
            ticket=ticket, sent_at=timezone.now()
        )


def summary(since=None, until=None, now=None):
    """Counts for reports, over forms whose first opening falls in [since, until):
    ``opened`` (entries opened), ``forms`` (forms with an opening), ``sent`` (of those, sent
    anyway), ``abandoned`` (not sent within the window) and ``pending`` (still in the window)."""
    from ..models import FAQSuggestionOpen

    now = now or timezone.now()
    cutoff = now - timedelta(hours=support_settings.FAQ_ABANDONED_AFTER_HOURS)
    opens = FAQSuggestionOpen.objects.all()
    forms = opens.values("form_key").annotate(
        first=Min("opened_at"),
        last=Max("opened_at"),
        sent=Count("pk", filter=Q(sent_at__isnull=False)),
    )
    if since is not None:
        forms = forms.filter(first__gte=since)
    if until is not None:
        forms = forms.filter(first__lt=until)
    counts = {"opened": 0, "forms": 0, "sent": 0, "abandoned": 0, "pending": 0}
    for row in forms:
        counts["forms"] += 1
        if row["sent"]:
            counts["sent"] += 1
        elif row["last"] < cutoff:
            counts["abandoned"] += 1
        else:
            counts["pending"] += 1
    keys = forms.values("form_key")
    counts["opened"] = opens.filter(form_key__in=keys).count()
    return counts
