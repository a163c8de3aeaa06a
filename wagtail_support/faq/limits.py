"""Per-IP request limits for the FAQ's public endpoints (suggestions, votes, opened suggestions),
counted per minute like the contact form's limits."""

from ..conf import support_settings
from ..rate_limits import over_limit as counted_over_limit


def over_limit(kind, ip):
    return counted_over_limit(f"faq-{kind}", ip, support_settings.FAQ_RATE_LIMIT, 60)
