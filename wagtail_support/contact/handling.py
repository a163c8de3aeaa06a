"""Handles a contact-form post on whichever page it was sent from (``before_serve_page``)."""

from urllib.parse import urlencode

from django.core import signing
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from ..blocks.contact import SALT, SUBMITTED, ContactFormBlock
from ..models import Source
from .forms import ContactForm
from .submit import Rejected, submit

FIELD = "wagtail_support_form"


def page_sources(page):
    """Slugs of the sources of every contact-form block on ``page`` (nested ones included)."""
    found = set()

    def walk(block, value):
        if isinstance(block, ContactFormBlock):
            found.add(value["source"])
            return
        children = getattr(block, "child_blocks", None)
        if hasattr(value, "raw_data") and hasattr(value, "__iter__"):  # a StreamValue
            for child in value:
                walk(child.block, child.value)
        elif children and hasattr(value, "items"):  # a StructValue
            for name, child_value in value.items():
                walk(children[name], child_value)
        elif hasattr(block, "child_block") and isinstance(value, list | tuple):  # a ListBlock
            for item in value:
                walk(block.child_block, getattr(item, "value", item))

    for field in page._meta.get_fields():
        stream_block = getattr(field, "stream_block", None)
        if stream_block is not None:
            walk(stream_block, getattr(page, field.name))
    return found


def handle_post(page, request):
    """A redirect after a successful post; None (with the bound form on the request) otherwise."""
    form_id = request.POST.get(FIELD, "")
    _index, _sep, slug = form_id.partition(":")
    page = page.specific
    if slug not in page_sources(page):
        return None  # not a post for one of this page's forms: the page handles it
    source = Source.objects.filter(slug=slug, enabled=True).first()
    if source is None:
        return None
    form = ContactForm(source, request.user, request.POST, request.FILES)
    request._wagtail_support_forms = {form_id: form}
    if not form.is_valid():
        return None
    try:
        received = submit(request, form)
    except Rejected:
        form.add_error(None, _("We could not accept this request. Please try again later."))
        return None
    except ValidationError as error:
        for message in error.messages:
            form.add_error(None, message)
        return None
    token = signing.dumps([form_id, received.ticket.number], salt=SALT)
    index = form_id.split(":", 1)[0]
    return redirect(f"{page.url}?{urlencode({SUBMITTED: token})}#support-form-{index}")
