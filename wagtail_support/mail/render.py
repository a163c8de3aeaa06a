"""Turning a subject and a body written in Django's template language into the mail a person
receives: in their language, inside the site's layout (reply marker, signature, request link,
reference), as plain text with an HTML alternative.

Sites brand their mail by overriding ``wagtail_support/mail/layout.html`` and ``layout.txt``.
"""

from dataclasses import dataclass

from django.template import engines
from django.template.loader import render_to_string
from django.utils import translation

from .addresses import body_reference

# The line above which a customer's e-mail reply is read; everything below it is our own quoted
# mail. Never translated, so inbound parsing recognises it whatever the recipient's language.
REPLY_MARKER = "##- Please type your reply above this line -##"


@dataclass(frozen=True)
class Content:
    """A subject and a body: template source text (an action e-mail's, edited in the admin), or,
    with ``from_files``, the names of shipped templates."""

    subject: str
    body: str
    from_files: bool = False


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str
    language: str


def template_from_string(source):
    """A template of plain text: nothing HTML-escaped (the HTML part escapes it later)."""
    return engines["django"].from_string(
        "{% autoescape off %}" + (source or "") + "{% endautoescape %}"
    )


def check_template(source):
    """Raises ``TemplateSyntaxError`` when ``source`` does not compile."""
    template_from_string(source)


def _render(source, context, from_files):
    if from_files:
        return render_to_string(source, context)
    return template_from_string(source).render(context)


def compose(ticket, addressee, content, context, *, reply_marker=True):
    """The mail for ``addressee``: subject on one line, text and HTML bodies, in their language."""
    language = addressee.language or None
    with translation.override(language):
        subject = " ".join(_render(content.subject, context, content.from_files).split())
        body = _render(content.body, context, content.from_files).strip()
        layout = {
            **context,
            "body": body,
            "reply_marker": REPLY_MARKER if reply_marker else "",
            "reference": body_reference(ticket.pk),
        }
        text = render_to_string("wagtail_support/mail/layout.txt", layout)
        html = render_to_string("wagtail_support/mail/layout.html", layout)
        return Rendered(
            subject=subject[:255],
            text=text,
            html=html,
            language=translation.get_language() or "",
        )
