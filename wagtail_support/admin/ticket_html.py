"""The ticket page's repeated parts written as HTML here rather than by the template: the
thread, the history, the closed actions and the customer's other tickets.

A 200-message thread cost the template some 40 ms of variable lookups, tag calls and
escaping per row. Here each value is escaped once with the standard library's ``escape`` (the
one Django's autoescaping uses: ``& < > " '``), the page's words are translated once, and the
links are formatted from one reversed prefix. The markup is the template's, unchanged.
"""

from html import escape

from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from ..templatetags.wagtail_support_email import email_html


def _prefix(name, *args):
    # The URL with a final "0/" of the varying id cut off: one reverse() for every row.
    return reverse(name, args=[*args, 0]).removesuffix("0/")


def _words():
    return {
        "note": escape(_("Internal note")),
        "whole": escape(_("Whole e-mail")),
        "blocked": escape(
            _(
                "Images from other servers are not shown: loading them tells the sender "
                "that and when you read this e-mail."
            )
        ),
        "load": escape(_("Load images")),
    }


def thread(messages, request):
    """The conversation's ``<li>`` rows (rows from ``ticket_rows.thread()``)."""
    words, out = _words(), []
    add = out.append
    for message in messages:
        pk = message.pk
        if message.is_internal:
            add(f'<li class="ws-message ws-message--note" id="message-{pk}"><header>')
            add(f'<span class="ws-note-label">{words["note"]}</span> · ')
        elif message.from_customer:
            add(f'<li class="ws-message ws-message--customer" id="message-{pk}"><header>')
        else:
            add(f'<li class="ws-message" id="message-{pk}"><header>')
        add(
            f"<strong>{escape(message.author_label)}</strong> · "
            f"{escape(message.channel_label)} · "
            f'<time datetime="{message.when_iso}">{message.when}</time></header>'
            f'<div class="ws-body">{escape(message.text)}</div>'
        )
        if message.html and message.channel == "email":
            _email(add, message, request, words)
        if message.files:
            add('<ul class="ws-attachments">')
            add("".join(_file(attachment, size=True) for attachment in message.files))
            add("</ul>")
        add("</li>")
    return mark_safe("".join(out))


def _email(add, message, request, words):
    # Sanitised with nh3 before it was stored; cleaned again (remote images blocked) here.
    email = email_html({"request": request}, message)
    add(f'<details class="ws-full-email"{" open" if email["loaded"] else ""}>')
    add(f"<summary>{words['whole']}</summary>")
    if email["blocked"]:
        pk = message.pk
        add(
            f'<p class="ws-remote-images help-block help-info">{words["blocked"]} '
            f'<a href="?images={pk}#message-{pk}">{words["load"]}</a></p>'
        )
    add(f'<div class="ws-body">{email["html"]}</div></details>')


def _file(attachment, size):
    link = f'<li><a href="{escape(attachment.url)}">{escape(attachment.original_name)}</a>'
    if size:
        link += f" ({escape(filesizeformat(attachment.size))})"
    return link + "</li>"


def loose_attachments(attachments):
    return mark_safe("".join(_file(attachment, size=False) for attachment in attachments))


def history(events):
    """The history's ``<li>`` rows (rows from ``ticket_rows.history()``)."""
    return mark_safe(
        "".join(
            f'<li><time datetime="{event.when_iso}">{event.when}</time> · '
            f"{escape(event.actor_label)} · {escape(event.text)}</li>"
            for event in events
        )
    )


def closed_action(ticket, action, prefix, open_form):
    """An action's ``<details>`` without its form (desk.js fetches it when it is opened)."""
    slug = escape(action.slug)
    description = (
        f'<p class="help">{escape(str(action.description))}</p>' if action.description else ""
    )
    return mark_safe(
        f'<details id="action-{slug}" '
        f'data-ws-action-url="{prefix}{slug}/?version={ticket.version}">'
        f"<summary>{escape(str(action.name))}</summary>{description}"
        f'<p data-ws-action-slot><a href="?open={slug}#action-{slug}">{open_form}</a></p>'
        "</details>"
    )


def actions(ticket, forms_by_action):
    """``(html, action, form)`` for each action: the open one has no html, the template
    renders it with its form."""
    prefix = reverse("support_desk:ticket_action", args=[ticket.pk, "x"]).removesuffix("x/")
    open_form = escape(_("Open the form"))
    return [
        (None if is_open else closed_action(ticket, action, prefix, open_form), action, form)
        for action, form, is_open in forms_by_action
    ]


def other_tickets(tickets):
    """The customer's other tickets' ``<li>`` rows from ``(pk, number, subject, state's
    name)``: number (a link), subject and state."""
    prefix = _prefix("support_desk:ticket")
    return mark_safe(
        "".join(
            f'<li><a href="{prefix}{pk}/">{escape(number)}</a> '
            f"{escape(subject)} ({escape(state)})</li>"
            for pk, number, subject, state in tickets
        )
    )
