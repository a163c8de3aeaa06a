"""The contact-form block: drop it on any StreamField page and pick a source; the help desk's
``before_serve_page`` hook handles its posts, so the page's own code needs nothing."""

from django.core import signing
from django.utils.translation import gettext_lazy as _
from wagtail import blocks

SUBMITTED = "request_sent"
SALT = "wagtail_support.contact.sent"


def source_choices():
    from ..models import Source

    return [(s.slug, s.name) for s in Source.objects.filter(enabled=True).order_by("name")]


class ContactFormBlock(blocks.StructBlock):
    source = blocks.ChoiceBlock(choices=source_choices, label=_("Source"))
    heading = blocks.CharBlock(required=False, label=_("Heading"))

    class Meta:
        icon = "mail"
        label = _("Contact form")
        template = "wagtail_support/blocks/contact_form.html"

    def get_context(self, value, parent_context=None):
        from ..contact.forms import ContactForm
        from ..models import Source

        context = super().get_context(value, parent_context)
        request = (parent_context or {}).get("request")
        # Blocks on one page are told apart by their order, which the post names.
        index = getattr(request, "_wagtail_support_form_index", 0) + 1 if request else 1
        if request is not None:
            request._wagtail_support_form_index = index
        source = (
            Source.objects.select_related("schedule")
            .filter(slug=value["source"], enabled=True)
            .first()
        )
        context.update(source=source, form_id=f"{index}:{value['source']}", index=index)
        if source is not None and source.schedule is not None:
            from .schedule import hours_context

            context["hours"] = hours_context(source.schedule)
        if source is None or request is None:
            return context
        posted = getattr(request, "_wagtail_support_forms", {}).get(context["form_id"])
        context["form"] = posted or ContactForm(source, request.user)
        sent = request.GET.get(SUBMITTED)
        if sent:
            try:
                form_id, number = signing.loads(sent, salt=SALT, max_age=3600)
            except signing.BadSignature:
                form_id = number = None
            if form_id == context["form_id"]:
                context["submitted_number"] = number
        return context
