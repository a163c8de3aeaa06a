"""The files of a reply, sent with the e-mail that carries it.

A mail carries a reply's files when it carries the reply's text: a public reply by the support
team (never an internal note, never the customer's own message) whose text is in the mail's
body, so a link-only mail or a template that leaves the message out sends no file either. Files
go in their order while together they stay within ``WAGTAIL_SUPPORT_MAIL_ATTACHMENTS_MAX_SIZE``;
the rest are listed at the end of the mail with the link to the request, where the reader
downloads them (the customer's page or guest link on the customer's side, the desk for agents).

Decided when the mail is built, from the rows as they are, so nothing more is stored per mail.
"""

from django.template.defaultfilters import filesizeformat
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext as _

from ..conf import support_settings
from ..models import Attachment, MessageKind


def carried_files(row):
    """The attachments of the reply ``row`` carries, in order; [] when it carries none."""
    message = row.message if row.message_id else None
    if message is None or message.kind != MessageKind.REPLY or message.from_customer:
        return []
    if message.text.strip() and message.text.strip() not in row.body:
        return []
    return list(Attachment.objects.filter(message=message).order_by("created_at", "pk"))


def split(files, cap):
    """(sent, linked): files in order while their sizes stay within ``cap`` together."""
    sent, linked, total = [], [], 0
    for item in files:
        if total + item.size <= cap:
            sent.append(item)
            total += item.size
        else:
            linked.append(item)
    return sent, linked


def attach(email, row, ticket):
    """Adds the reply's files to ``email`` (the built mail of ``row``), or lists them with the
    link to the request when they are over the cap."""
    files = carried_files(row)
    if not files:
        return
    sent, linked = split(files, support_settings.MAIL_ATTACHMENTS_MAX_SIZE)
    for item in sent:
        with item.file.open("rb") as stored:
            email.attach(item.original_name, stored.read(), item.content_type or None)
    if linked:
        _list_linked(email, row, ticket, linked)


def _list_linked(email, row, ticket, linked):
    from . import links, recipients

    customer_side = recipients.customer_side_addresses(ticket)
    on_customer_side = any(address.strip().lower() in customer_side for address in row.to)
    link = links.customer_link(ticket) if on_customer_side else links.admin_link(ticket)
    with translation.override(row.language or None):
        heading = _("Too large to send by e-mail; download them from the request's page:")
        names = [f"- {item.original_name} ({filesizeformat(item.size)})" for item in linked]
    email.body = "\n".join([email.body.rstrip("\n"), "", heading, *names, link or "", ""])
    if email.alternatives:
        html, mimetype = email.alternatives[0]
        items = "".join(f"<li>{escape(name[2:])}</li>" for name in names)
        anchor = f'<p><a href="{escape(link)}">{escape(link)}</a></p>' if link else ""
        block = f"<p>{escape(heading)}</p><ul>{items}</ul>{anchor}"
        html = html.replace("</body>", f"{block}</body>") if "</body>" in html else html + block
        first = email.alternatives[0]
        replaced = first._replace(content=html) if hasattr(first, "_replace") else (html, mimetype)
        email.alternatives[0] = replaced
