"""The blocks editors build the Support section's pages from. One list, so a new block is added
to every support page in one line."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.images.blocks import ImageBlock

from .contact import ContactFormBlock
from .schedule import ScheduleBlock


def support_content_blocks():
    """(name, block) pairs for the StreamField of the Support index and information pages."""
    return [
        ("heading", blocks.CharBlock(form_classname="title", label=_("Heading"))),
        ("paragraph", blocks.RichTextBlock(label=_("Text"))),
        ("image", ImageBlock(label=_("Image"))),
        ("contact_form", ContactFormBlock()),
        ("schedule", ScheduleBlock()),
    ]
