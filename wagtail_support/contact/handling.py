"""Handles a contact-form post on whichever page it was sent from (``before_serve_page``)."""

from urllib.parse import urlencode

from django.core import signing
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from wagtail import blocks

from ..blocks.contact import SALT, SUBMITTED, ContactFormBlock
from . import reads
from .forms import ContactForm
from .submit import Rejected, submit

FIELD = "wagtail_support_form"


def page_sources(page):
    """Slugs of the sources of every contact-form block on ``page`` (nested ones included)."""
    found = set()
    for field in page._meta.get_fields():
        stream_block = getattr(field, "stream_block", None)
        if stream_block is not None:
            found |= sources_in(stream_block, getattr(page, field.name).raw_data)
    return found


def sources_in(block, raw):
    """Slugs of the contact-form blocks in ``raw``, the stored data of ``block``. Read from the
    stored data: turning the blocks into their values would, among other work, read each form
    block's source choices from the database on every post."""
    if isinstance(block, ContactFormBlock):
        source = raw.get("source") if isinstance(raw, dict) else None
        return {source} if source else set()
    found = set()
    if isinstance(block, blocks.StreamBlock):
        for item in raw or ():
            child = block.child_blocks.get(item.get("type")) if isinstance(item, dict) else None
            if child is not None:
                found |= sources_in(child, item.get("value"))
    elif isinstance(block, blocks.StructBlock) and isinstance(raw, dict):
        for name, child in block.child_blocks.items():
            found |= sources_in(child, raw.get(name))
    elif isinstance(block, blocks.ListBlock):
        for item in raw or ():
            # Items are stored as {"type": "item", "value": …, "id": …}, or bare (older data).
            wrapped = isinstance(item, dict) and item.get("type") == "item"
            found |= sources_in(block.child_block, item.get("value") if wrapped else item)
    return found


def handle_post(page, request):
    """A redirect after a successful post; None (with the bound form on the request) otherwise."""
    form_id = request.POST.get(FIELD, "")
    _index, _sep, slug = form_id.partition(":")
    page = page.specific
    if slug not in page_sources(page):
        return None  # not a post for one of this page's forms: the page handles it
    # Whom the request will be from: a signed-in customer's account address, else the address
    # the form takes (checked against the blocklist as the form will clean it).
    user = request.user
    sender = user.email if user.is_authenticated else request.POST.get("email", "")
    source, blocked = reads.enabled_source(slug, sender)
    if source is None:
        return None
    form = ContactForm(source, request.user, request.POST, request.FILES)
    request._wagtail_support_forms = {form_id: form}
    if not form.is_valid():
        return None
    try:
        received = submit(request, form, checked_sender=(sender, blocked))
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
