"""Spam checks for public forms (R-IN5): honeypot, minimum fill time, rate limits per IP and per
e-mail address. Each is switched by a setting; reCAPTCHA is a form field (see forms.py)."""

import time

from django.core import signing
from django.core.cache import cache

from ..conf import support_settings

HONEYPOT = "website"  # a name bots like to fill in
STARTED = "started"
SALT = "wagtail_support.contact.started"


def started_token():
    """A signed timestamp put in the form when it is shown."""
    return signing.dumps(time.time(), salt=SALT)


def filled_too_fast(token):
    minimum = support_settings.SPAM_MIN_FILL_SECONDS
    if not minimum:
        return False
    try:
        started = signing.loads(token, salt=SALT, max_age=24 * 3600)
    except (signing.BadSignature, TypeError):
        return True  # missing, forged or a day old: not a person who just filled the form
    return time.time() - float(started) < minimum


def honeypot_filled(data):
    return support_settings.SPAM_HONEYPOT and bool(data.get(HONEYPOT, "").strip())


def _over_limit(kind, value, limit):
    if not limit or not value:
        return False
    key = f"wagtail-support:rate:{kind}:{value.lower()}:{int(time.time() // 3600)}"
    # add() creates the counter for this hour; incr() counts the attempt atomically where the
    # cache supports it (Redis, Memcached).
    cache.add(key, 0, 3600)
    try:
        count = cache.incr(key)
    except ValueError:
        cache.set(key, 1, 3600)
        count = 1
    return count > limit


def rate_limited(ip, email):
    return _over_limit("ip", ip, support_settings.SPAM_RATE_LIMIT_PER_IP) or _over_limit(
        "email", email, support_settings.SPAM_RATE_LIMIT_PER_EMAIL
    )


def client_ip(request):
    """REMOTE_ADDR: behind a proxy, configure the proxy (or middleware) to set it right rather
    than trusting a header any client can send."""
    return request.META.get("REMOTE_ADDR", "")
