from wagtail import blocks
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page

from wagtail_support.blocks.contact import ContactFormBlock
from wagtail_support.blocks.schedule import ScheduleBlock


class StreamPage(Page):
    """A page with a StreamField body, the kind a site drops the help desk's blocks into."""

    body = StreamField(
        [
            ("paragraph", blocks.RichTextBlock()),
            ("contact_form", ContactFormBlock()),
            ("schedule", ScheduleBlock()),
        ],
        blank=True,
    )

    content_panels = [*Page.content_panels, FieldPanel("body")]
