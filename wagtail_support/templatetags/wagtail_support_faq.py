from django import template
from django.urls import NoReverseMatch, reverse

register = template.Library()


@register.inclusion_tag("wagtail_support/faq/suggestions.html")
def faq_suggestions():
    """The contact form's FAQ suggestion box, when the site includes ``wagtail_support.faq_urls``;
    nothing otherwise. The form works the same without it, and without JavaScript."""
    try:
        return {
            "suggest_url": reverse("wagtail_support_faq:suggest"),
            "opened_url": reverse("wagtail_support_faq:opened"),
        }
    except NoReverseMatch:
        return {}
