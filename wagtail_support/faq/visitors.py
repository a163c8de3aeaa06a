"""Who a visitor is, for counting them once: a logged-in user is their account; anyone else is a
random id in a signed cookie, set the first time they vote. No IP address is stored."""

import uuid

from django.core import signing

COOKIE = "wagtail_support_visitor"
SALT = "wagtail_support.faq.visitor"
MAX_AGE = 365 * 24 * 3600


def visitor_key(request):
    """The visitor's key, or None for a visitor without an account or cookie yet."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    try:
        value = request.get_signed_cookie(COOKIE, salt=SALT, max_age=MAX_AGE)
    except (KeyError, signing.BadSignature):
        return None
    return f"anon:{value}"


def ensure_visitor_key(request):
    """(key, cookie value to set or None): a new anonymous visitor gets a fresh id."""
    key = visitor_key(request)
    if key is not None:
        return key, None
    value = uuid.uuid4().hex
    return f"anon:{value}", value


def remember(response, cookie_value):
    if cookie_value:
        response.set_signed_cookie(
            COOKIE, cookie_value, salt=SALT, max_age=MAX_AGE, httponly=True, samesite="Lax"
        )
    return response


def votes_on(request, page):
    """{entry id: helpful?} for this visitor on ``page``; one query, none without a visitor."""
    from ..models import FAQVote

    key = visitor_key(request)
    if key is None:
        return {}
    return dict(
        FAQVote.objects.filter(visitor=key, entry__page=page).values_list("entry_id", "helpful")
    )
