"""The demo Support section: a Support index with the contact form, a FAQ in the help desk's
categories, and information pages. Pages an editor has since removed or renamed are recreated
only by slug, so running the command again changes nothing."""

from django.db import transaction

from wagtail_support.models import (
    Category,
    FAQEntry,
    FAQPage,
    InformationPage,
    SupportIndexPage,
)

SUPPORT_INTRO = (
    "<p>Find an answer in our frequently asked questions, read how shipping, returns and the "
    "warranty work, or write to us. We answer on working days, usually within one day.</p>"
)

FAQ_ENTRIES = [
    (
        "order",
        "How can I track my order?",
        "<p>You receive an e-mail with the tracking link as soon as the parcel leaves our "
        "warehouse, usually the next working day.</p>",
    ),
    (
        "order",
        "Can I change or cancel an order?",
        "<p>Yes, until it is packed: write to us with the order number and what to change. "
        "Once shipped, return the parcel instead.</p>",
    ),
    (
        "order",
        "How do I return an item?",
        "<p>Send it back within 30 days in its original packing with the return slip from the "
        "parcel. The refund follows within five working days of its arrival.</p>",
    ),
    (
        "payment",
        "Which payment methods do you accept?",
        "<p>Cards (Visa, Mastercard), bank transfer and payment on delivery.</p>",
    ),
    (
        "payment",
        "When will I get my refund?",
        "<p>Within five working days after the returned item reaches us, to the card or account "
        "you paid with.</p>",
    ),
    (
        "installation",
        "The installer says “missing library”. What now?",
        "<p>Install the latest runtime from our downloads page, restart the computer and run "
        "the installer again. If it still fails, send us the installer's log file.</p>",
    ),
    (
        "account",
        "I forgot my password.",
        "<p>Use “Forgot password?” on the login page; the link in the e-mail is valid for three "
        "days.</p>",
    ),
    (
        "account",
        "How do I change my e-mail address?",
        "<p>Under <b>My account</b>. We send a confirmation link to the new address.</p>",
    ),
]

INFORMATION_PAGES = [
    (
        "shipping-and-returns",
        "Shipping and returns",
        "Delivery times and how to send an item back.",
        "<p>Parcels leave our warehouse on working days and arrive in two to four days.</p>",
        [
            ("heading", "Returns"),
            (
                "paragraph",
                "<p>You may return any item within 30 days. Keep the original packing and put "
                "the return slip in the parcel.</p>",
            ),
        ],
    ),
    (
        "warranty",
        "Warranty and repairs",
        "What the two-year warranty covers and how repairs work.",
        "<p>Every product has a two-year warranty.</p>",
        [
            (
                "paragraph",
                "<p>For a repair, describe the fault in a request and attach a photo of the "
                "receipt. We send you a prepaid label.</p>",
            ),
        ],
    ),
]


@transaction.atomic
def ensure_support_section(home):
    from sandbox.demo.sla import OFFICE_HOURS
    from wagtail_support.models import SupportSchedule

    index = SupportIndexPage.objects.child_of(home).first()
    if index is None:
        body = [
            ("heading", "Write to us"),
            ("contact_form", {"source": "website", "heading": ""}),
        ]
        index = home.add_child(
            instance=SupportIndexPage(
                title="Support", slug="support", intro=SUPPORT_INTRO, body=body
            )
        )
    if not FAQPage.objects.child_of(index).exists():
        faq = FAQPage(
            title="Frequently asked questions",
            slug="faq",
            search_description="Answers to what our customers ask most often.",
            layout="accordion",
            intro="<p>The questions our customers ask most often.</p>",
        )
        categories = {category.slug: category for category in Category.objects.all()}
        for order, (category, question, answer) in enumerate(FAQ_ENTRIES):
            faq.entries.add(
                FAQEntry(
                    question=question,
                    answer=answer,
                    category=categories.get(category),
                    sort_order=order,
                )
            )
        index.add_child(instance=faq)
        faq.save_revision().publish()
    office = SupportSchedule.objects.filter(name=OFFICE_HOURS).first()
    if office and not InformationPage.objects.child_of(index).filter(slug="hours").exists():
        hours = {"schedule": str(office.pk), "heading": "", "show_status": True}
        page = InformationPage(
            title="Support hours",
            slug="hours",
            search_description="When we answer, and the holidays when we don't.",
            intro="<p>We answer on working days in Warsaw time. Requests sent outside these "
            "hours wait for the next opening; our response times count working time only.</p>",
            body=[("schedule", hours)],
        )
        index.add_child(instance=page)
    for slug, title, description, intro, body in INFORMATION_PAGES:
        if not InformationPage.objects.child_of(index).filter(slug=slug).exists():
            page = InformationPage(
                title=title, slug=slug, search_description=description, intro=intro, body=body
            )
            index.add_child(instance=page)
    return index
