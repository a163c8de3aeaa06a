"""Per-IP request limits for the FAQ's public endpoints (suggestions, votes, opened suggestions),
counted per minute in Django's cache like the contact form's limits."""

import time

from django.core.cache import cache

from ..conf import support_settings


def over_limit(kind, ip):
    limit = support_settings.FAQ_RATE_LIMIT
    if not limit or not ip:
        return False
    key = f"wagtail-support:faq-rate:{kind}:{ip}:{int(time.time() // 60)}"
    cache.add(key, 0, 60)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.set(key, 1, 60)
        count = 1
    return count > limit
