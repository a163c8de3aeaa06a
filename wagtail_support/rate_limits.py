"""Fixed-window counters in Django's cache, for every public entry point's rate limit (contact
forms, the FAQ's endpoints)."""

import time

from django.core.cache import cache


def over_limit(kind, value, limit, window_seconds):
    """Counts one attempt of ``kind`` by ``value`` (an IP address, an e-mail address) in the
    current window; True when this attempt goes over ``limit``. A falsy limit or value: never."""
    if not limit or not value:
        return False
    window = int(time.time() // window_seconds)
    key = f"wagtail-support:rate:{kind}:{str(value).lower()}:{window_seconds}:{window}"
    # add() creates the window's counter; incr() counts atomically where the cache supports it
    # (Redis, Memcached).
    cache.add(key, 0, window_seconds)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.set(key, 1, window_seconds)
        count = 1
    return count > limit
