"""Spam checks for public forms (R-IN5): honeypot, minimum fill time, rate limits per IP and per
e-mail address. Each is switched by a setting; reCAPTCHA is a form field (see forms.py)."""

import time

from django.core import signing

from ..conf import support_settings
from ..rate_limits import over_limit

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
    return over_limit(kind, value, limit, 3600)


def rate_limited(ip, email):
    return _over_limit("ip", ip, support_settings.SPAM_RATE_LIMIT_PER_IP) or _over_limit(
        "email", email, support_settings.SPAM_RATE_LIMIT_PER_EMAIL
    )


def client_ip(request):
    """REMOTE_ADDR: behind a proxy, configure the proxy (or middleware) to set it right rather
    than trusting a header any client can send."""
    return request.META.get("REMOTE_ADDR", "")
