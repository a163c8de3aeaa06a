"""schema.org ``FAQPage`` structured data (JSON-LD) for a FAQ page, so search engines can show
its questions and answers."""

import json

from django.utils.safestring import mark_safe
from wagtail.rich_text import expand_db_html

# Inside <script>, "</script>" or "<!--" in an answer would end the element early; JSON allows
# these characters escaped, so nothing else changes.
ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def faq_data(page, entries, request=None):
    return {
        "@context": "https://schema.org",
        "@type": "FAQPage",
        "name": page.title,
        "url": page.get_full_url(request),
        "mainEntity": [
            {
                "@type": "Question",
                "name": entry.question,
                "acceptedAnswer": {"@type": "Answer", "text": expand_db_html(entry.answer)},
            }
            for entry in entries
        ],
    }


def faq_json_ld(page, entries, request=None):
    """The ``<script type="application/ld+json">`` element, ready for a template."""
    text = json.dumps(faq_data(page, entries, request), ensure_ascii=False).translate(ESCAPES)
    return mark_safe(f'<script type="application/ld+json">{text}</script>')
