"""The site's Support section: its index page and information pages (R-PB2). Abstract bases let
a site add fields to its own page types; the concrete pages are what editors get out of the box."""

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from ..blocks.content import support_content_blocks
from ..conf import support_settings
from .pages import MyRequestsPage


def portal_url():
    """The "My requests" URL when the site includes ``wagtail_support.urls``, else None."""
    try:
        return reverse("wagtail_support_portal:list")
    except NoReverseMatch:
        return None


class AbstractSupportContentPage(Page):
    """An introduction and a body of support blocks (text, images, contact form, …)."""

    intro = RichTextField(_("introduction"), blank=True)
    body = StreamField(support_content_blocks(), blank=True, verbose_name=_("body"))

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]

    class Meta:
        abstract = True

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["base_template"] = support_settings.PORTAL_BASE_TEMPLATE
        return context


class AbstractSupportIndexPage(AbstractSupportContentPage):
    """The Support section's front page: its own content, then links to the pages below it
    (FAQ, information pages, My requests). A subclass names its template, or gets Wagtail's
    default name for it; it may extend ``wagtail_support/pages/support_index_page.html``."""

    class Meta:
        abstract = True

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # Not .specific(): the list needs titles and URLs only; one query whatever the children.
        sections = list(self.get_children().live().public().select_related("content_type"))
        context["sections"] = sections
        has_my_requests_page = any(
            issubclass(page.content_type.model_class() or Page, MyRequestsPage) for page in sections
        )
        context["my_requests_url"] = None if has_my_requests_page else portal_url()
        return context


class AbstractInformationPage(AbstractSupportContentPage):
    """A page of the Support section: shipping terms, warranty, how to return an item, …"""

    class Meta:
        abstract = True


class SupportIndexPage(AbstractSupportIndexPage):
    template = "wagtail_support/pages/support_index_page.html"
    subpage_types = [
        "wagtail_support.FAQPage",
        "wagtail_support.InformationPage",
        "wagtail_support.MyRequestsPage",
    ]

    class Meta:
        verbose_name = _("Support index page")


class InformationPage(AbstractInformationPage):
    template = "wagtail_support/pages/information_page.html"
    parent_page_types = ["wagtail_support.SupportIndexPage", "wagtail_support.InformationPage"]
    subpage_types = ["wagtail_support.InformationPage"]

    class Meta:
        verbose_name = _("information page")
