"""The HTML of a received e-mail on the desk, remote images blocked unless the agent asked."""

from django import template
from django.utils.safestring import mark_safe

from ..html import clean_html, without_remote_images

register = template.Library()
LOAD_PARAMETER = "images"  # ?images=<message id> loads that one message's images


@register.simple_tag(takes_context=True)
def email_html(context, message):
    request = context.get("request")
    load = request is not None and request.GET.get(LOAD_PARAMETER) == str(message.pk)
    if load:
        html, blocked = clean_html(message.html), 0
    else:
        html, blocked = without_remote_images(message.html)
    # Stored sanitised (workflows.changes); cleaned again here, so older rows are safe too.
    return {"html": mark_safe(html), "blocked": blocked, "loaded": load}
