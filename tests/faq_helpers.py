"""Building a Support section with a FAQ for tests."""

from wagtail.models import Page, Site

from wagtail_support.models import Category, FAQEntry, FAQPage, SupportIndexPage


def site_root():
    site = Site.objects.get(is_default_site=True)
    return site.root_page.specific


def make_support_index(parent=None, title="Support", slug="support"):
    parent = parent or site_root()
    return parent.add_child(instance=SupportIndexPage(title=title, slug=slug))


def make_faq(parent=None, entries=(), *, title="Questions", slug="faq", layout="accordion"):
    """A published FAQ page; ``entries`` are (question, answer html[, category slug])."""
    parent = parent or make_support_index()
    page = FAQPage(title=title, slug=slug, layout=layout)
    for number, (question, answer, *category) in enumerate(entries):
        category = (
            Category.objects.get_or_create(slug=category[0], defaults={"name": category[0]})[0]
            if category
            else None
        )
        page.entries.add(
            FAQEntry(question=question, answer=answer, category=category, sort_order=number)
        )
    parent.add_child(instance=page)
    page.save_revision().publish()
    return FAQPage.objects.get(pk=page.pk)


SHOP_FAQ = [
    ("How do I return an item?", "<p>Send it back within 30 days with the form.</p>", "returns"),
    ("When is my refund paid?", "<p>Refunds are paid within 5 working days.</p>", "returns"),
    ("How long does delivery take?", "<p>Two to four days inside the country.</p>", "delivery"),
    ("Can I change my password?", "<p>Yes, under <b>My account</b>.</p>"),
]


def root_page():
    return Page.get_first_root_node()
