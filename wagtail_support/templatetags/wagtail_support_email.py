"""The HTML of a received e-mail on the desk: remote images blocked unless the agent asked, the
e-mail's own inline images (``cid:``) shown from the desk's storage."""

import email
import email.policy

from django import template
from django.urls import reverse
from django.utils.safestring import mark_safe

from ..html import content_id, without_remote_images

register = template.Library()
LOAD_PARAMETER = "images"  # ?images=<message id> loads that one message's images


@register.simple_tag(takes_context=True)
def email_html(context, message):
    request = context.get("request")
    load = request is not None and request.GET.get(LOAD_PARAMETER) == str(message.pk)
    inline = inline_images(message)
    # Stored sanitised (workflows.changes); cleaned again here, so older rows are safe too.
    html, blocked = without_remote_images(message.html, inline, block=not load)
    return {"html": mark_safe(html), "blocked": blocked, "loaded": load}


def inline_images(message):
    """{Content-ID: URL of the desk's attachment view} for the images the message's HTML shows
    from its own parts. The stored attachments do not keep their Content-ID, so each part of the
    stored raw copy that has one is matched to the message's attachment of the same size (and
    file name, when several have that size). Served by the desk's attachment view, which checks
    who asks; after the raw copy is removed (retention) the images are not shown."""
    if "cid:" not in (message.html or "").lower():
        return {}
    inbound = message.inbound_emails.filter(raw_purged_at=None).only("raw").first()
    if inbound is None:
        return {}
    files = getattr(message, "files", None)
    files = list(files if files is not None else message.attachments.all())
    found = {}
    for part in email.message_from_bytes(bytes(inbound.raw), policy=email.policy.default).walk():
        cid = content_id(str(part.get("Content-ID", "") or ""))
        if not cid or part.is_multipart():
            continue
        try:
            size = len(part.get_payload(decode=True) or b"")
            name = part.get_filename()
        except Exception:  # a damaged part shows no image, and breaks no page
            continue
        same_size = [f for f in files if f.size == size]
        match = next(
            (f for f in same_size if f.original_name == name),
            same_size[0] if len(same_size) == 1 else None,  # a name the parser spelled otherwise
        )
        if match is not None:
            found[cid] = reverse("support_desk:attachment", args=[match.pk])
    return found
