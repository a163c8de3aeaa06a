"""Canned answers and the FAQ (R-DK6, R-PB1): a canned answer published as a FAQ entry, and FAQ
entries offered in the agent's reply editor beside the canned answers."""

import html
import re

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.html import escape, strip_tags
from django.utils.translation import gettext as _
from wagtail.rich_text import expand_db_html

from ..models.canned import VARIABLE

LINK = re.compile(r'<a\b[^>]*href="([^"]*)"[^>]*>(.*?)</a>', re.S | re.I)
BREAK = re.compile(r"<br\s*/?>", re.I)
BLOCK_END = re.compile(r"</(p|li|h[1-6]|blockquote)>", re.I)


def plain_text(rich):
    """Rich text as the plain text an agent's reply holds: paragraphs become blank lines and a
    link keeps its address in brackets."""
    text = expand_db_html(rich)
    text = LINK.sub(lambda m: f"{m.group(2)} ({m.group(1)})", text)
    text = BREAK.sub("\n", text)
    text = BLOCK_END.sub("\n\n", text)
    text = html.unescape(strip_tags(text))
    lines = [" ".join(line.split()) for line in text.splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def rich_text(plain):
    """A canned answer's plain text as rich text: blank lines part paragraphs."""
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", plain.strip()) if p.strip()]
    return "".join(
        "<p>" + "<br/>".join(escape(line) for line in p.splitlines()) + "</p>" for p in paragraphs
    )


def insertable_entries(request=None, site=None):
    """FAQ entries of live FAQ pages, shaped like the canned answers the reply editor inserts:
    {id, title, text, group}. One query whatever their number."""
    from ..models import FAQEntry

    entries = (
        FAQEntry.objects.published(site)
        .select_related("page")
        .order_by("page__title", "page_id", "sort_order", "pk")
    )
    result = []
    for entry in entries:
        url = entry.page.get_full_url(request)
        text = plain_text(entry.answer)
        if url:
            text = f"{text}\n\n{url}#{entry.anchor}"
        result.append({"id": f"faq-{entry.pk}", "title": entry.question, "text": text})
    return result


def publishable_pages(user):
    """FAQ pages ``user`` may add an entry to."""
    from ..models import FAQPage

    return [page for page in FAQPage.objects.order_by("title") if can_edit(page, user)]


def can_edit(page, user):
    return page.permissions_for_user(user).can_edit()


def publish_canned_answer(canned, page, user, *, question, answer, category=None):
    """Adds an entry made from ``canned`` to ``page``: published at once when ``user`` may
    publish the page, else left in a new draft for a publisher. Returns (entry, published)."""
    from ..models import FAQEntry

    if not can_edit(page, user):
        raise PermissionDenied
    if VARIABLE.search(answer):
        raise ValidationError(
            _("Replace the variables ({{ … }}) with text: a FAQ answer is the same for everyone.")
        )
    latest = page.get_latest_revision_as_object()
    entry = FAQEntry(
        question=question,
        answer=rich_text(answer),
        category=category,
        canned_answer=canned,
        sort_order=len(latest.entries.all()),
    )
    latest.entries.add(entry)
    revision = latest.save_revision(user=user, log_action=True)
    published = page.permissions_for_user(user).can_publish()
    if published:
        revision.publish(user=user)
        # Not page.entries: that may be the in-memory list of the revision just published.
        entry = FAQEntry.objects.filter(page_id=page.pk, canned_answer=canned).order_by("-pk")[0]
    return entry, published
