"""Finding FAQ entries through Wagtail's search backend (the database backend included): search
within one FAQ page, and suggestions for what a customer types on the contact form."""

import hashlib
import logging
import re

from django.core.cache import cache
from django.db import DatabaseError, transaction
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import get_language
from wagtail.rich_text import expand_db_html

from ..conf import support_settings

GENERATION = "wagtail-support:faq:generation"
MAX_QUERY = 200
# NUL and other control characters never match a word, and PostgreSQL refuses NUL in a string.
CONTROL = re.compile(r"[\x00-\x1f\x7f]")

logger = logging.getLogger(__name__)


def clean_query(text):
    return " ".join(CONTROL.sub(" ", text or "").split())[:MAX_QUERY]


def _results(queryset, limit, text):
    """A search's first ``limit`` results, or none when the backend refuses the query: SQLite's
    FTS5 reads quotes and operators in what a visitor typed as syntax, and says so by raising.
    The savepoint keeps the request's transaction usable after the backend's error."""
    try:
        with transaction.atomic():
            return list(queryset[:limit])
    except DatabaseError:
        logger.warning("The search backend refused the FAQ search %r", text, exc_info=True)
        return []


def search_page(page, query, limit=50):
    """Entries of ``page`` matching ``query``, best first."""
    from ..models import FAQEntry

    entries = FAQEntry.objects.filter(page=page).select_related("category")
    query = clean_query(query)
    return _results(entries.search(query, operator="or"), limit, query) if query else []


def find(site, text, limit):
    """Published entries of ``site`` matching ``text``: whole words first, then the last word
    as a prefix, for a subject still being typed."""
    from ..models import FAQEntry

    entries = FAQEntry.objects.published(site).select_related("page")
    found = _results(entries.search(text, operator="or"), limit, text)
    if not found:
        found = _results(entries.autocomplete(text, operator="or"), limit, text)
    return found


def suggestions(request, site, text):
    """[{id, question, excerpt, answer, url}] for the contact form, cached per site, language
    and text until the FAQ changes."""
    text = clean_query(text)
    limit = support_settings.FAQ_SUGGESTIONS
    if len(text) < 3 or not limit:
        return []
    key = cache_key(site, text)
    cached = cache.get(key)
    if cached is not None:
        return cached
    result = [
        {
            "id": entry.pk,
            "question": entry.question,
            "answer": expand_db_html(entry.answer),
            "excerpt": Truncator(strip_tags(expand_db_html(entry.answer))).words(25),
            "url": f"{entry.page.get_url(request)}#{entry.anchor}",
        }
        for entry in find(site, text, limit)
    ]
    cache.set(key, result, support_settings.FAQ_SUGGEST_CACHE_SECONDS)
    return result


def cache_key(site, text):
    digest = hashlib.sha256(text.lower().encode()).hexdigest()[:32]
    generation = cache.get(GENERATION, 0)
    site_id = site.pk if site else 0
    return f"wagtail-support:faq:suggest:{generation}:{site_id}:{get_language()}:{digest}"


def forget_cached(**kwargs):
    """Connected to FAQ changes: every cached suggestion list becomes stale at once."""
    try:
        cache.incr(GENERATION)
    except ValueError:
        cache.set(GENERATION, 1, None)
