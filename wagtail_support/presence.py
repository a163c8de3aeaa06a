"""Who else is looking at or answering a ticket right now, so two agents don't answer the same
customer twice. Best effort, kept in Django's cache; nothing here is history."""

import time

from django.core.cache import cache

SEEN_FOR = 90  # seconds a heartbeat counts; the page sends one every 30 s
ACTIVITIES = ("viewing", "answering")


def _key(ticket_id):
    return f"wagtail-support:presence:{ticket_id}"


def touch(ticket_id, user, activity="viewing"):
    if activity not in ACTIVITIES:
        activity = "viewing"
    now = time.time()
    present = {
        uid: entry
        for uid, entry in (cache.get(_key(ticket_id)) or {}).items()
        if now - entry["at"] < SEEN_FOR
    }
    present[user.pk] = {
        "name": user.get_full_name() or user.get_username(),
        "activity": activity,
        "at": now,
    }
    cache.set(_key(ticket_id), present, SEEN_FOR * 2)


def others(ticket_id, user):
    now = time.time()
    return sorted(
        (
            {"name": entry["name"], "activity": entry["activity"]}
            for uid, entry in (cache.get(_key(ticket_id)) or {}).items()
            if uid != user.pk and now - entry["at"] < SEEN_FOR
        ),
        key=lambda entry: entry["name"],
    )
