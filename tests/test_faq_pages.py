"""The Support section's page types: where editors may put them, that they build in the admin,
render and route, and what the FAQ page shows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from tests.faq_helpers import SHOP_FAQ, make_faq, make_support_index, site_root
from wagtail_support.models import (
    FAQEntry,
    FAQPage,
    InformationPage,
    MyRequestsPage,
    Source,
    SupportIndexPage,
)


class SupportPageRulesTests(WagtailPageTestCase):
    def test_the_tree_editors_can_build(self):
        self.assertAllowedSubpageTypes(SupportIndexPage, {FAQPage, InformationPage, MyRequestsPage})
        self.assertAllowedParentPageTypes(FAQPage, {SupportIndexPage})
        self.assertAllowedSubpageTypes(FAQPage, {})
        self.assertAllowedParentPageTypes(InformationPage, {SupportIndexPage, InformationPage})
        self.assertAllowedSubpageTypes(InformationPage, {InformationPage})
        self.assertCanNotCreateAt(Page, FAQPage)
        self.assertCanNotCreateAt(Page, InformationPage)
        self.assertCanNotCreateAt(FAQPage, SupportIndexPage)
        self.assertCanNotCreateAt(InformationPage, SupportIndexPage)
        self.assertCanCreateAt(Page, SupportIndexPage)

    def test_an_editor_builds_the_whole_section_in_the_admin(self):
        self.login()
        root = site_root()
        self.assertCanCreate(
            root,
            SupportIndexPage,
            nested_form_data(
                {
                    "title": "Help",
                    "slug": "help",
                    "intro": rich_text("<p>How can we help?</p>"),
                    "body": streamfield(
                        [
                            ("heading", "Write to us"),
                            ("contact_form", {"source": "website", "heading": ""}),
                        ]
                    ),
                }
            ),
        )
        index = SupportIndexPage.objects.get(slug="help")
        self.assertCanCreate(
            index,
            FAQPage,
            nested_form_data(
                {
                    "title": "FAQ",
                    "slug": "faq",
                    "intro": rich_text(""),
                    "layout": "cards",
                    "entries": inline_formset(
                        [
                            {
                                "question": "Where is my parcel?",
                                "answer": rich_text("<p>On its way.</p>"),
                                "category": "",
                            },
                            {
                                "question": "Can I pay later?",
                                "answer": rich_text("<p>Yes, within 14 days.</p>"),
                                "category": "",
                            },
                        ]
                    ),
                }
            ),
        )
        self.assertCanCreate(
            index,
            InformationPage,
            nested_form_data(
                {
                    "title": "Shipping",
                    "slug": "shipping",
                    "intro": rich_text("<p>Two days.</p>"),
                    "body": streamfield([("paragraph", rich_text("<p>By post.</p>"))]),
                }
            ),
        )
        faq = FAQPage.objects.get(slug="faq")
        assert faq.live and faq.layout == "cards"
        assert list(faq.entries.values_list("question", flat=True)) == [
            "Where is my parcel?",
            "Can I pay later?",
        ]
        for page in (index, faq, InformationPage.objects.get(slug="shipping")):
            self.assertPageIsRoutable(page)
            self.assertPageIsRenderable(page)
        self.assertPageIsRoutable(faq, f"helpful/{faq.entries.first().pk}/")
        response = self.client.get(index.url)
        self.assertContains(response, f'href="{faq.url}"')
        self.assertContains(response, 'name="wagtail_support_form"')  # the contact form block


pytestmark = pytest.mark.django_db


@pytest.fixture
def ordered_categories():
    """Delivery before returns, whatever order the editor put the entries in."""
    from wagtail_support.models import Category

    Category.objects.create(slug="returns", name="Returns", sort_order=20)
    Category.objects.create(slug="delivery", name="Delivery", sort_order=10)


def test_faq_groups_entries_by_category_in_the_categories_order(client, ordered_categories):
    page = make_faq(entries=SHOP_FAQ)
    html = client.get(page.url).content.decode()
    positions = [
        html.index(text)
        for text in (
            "<h2>Delivery</h2>",
            "How long does delivery take?",
            "<h2>Returns</h2>",
            "How do I return an item?",
            "When is my refund paid?",
            "Other questions",
            "Can I change my password?",
        )
    ]
    assert positions == sorted(positions)


@pytest.mark.parametrize(
    "layout, marker",
    [
        ("accordion", '<details class="support-faq__entry"'),
        ("list", 'class="support-faq__contents"'),
        ("cards", 'class="support-faq__cards"'),
    ],
)
def test_each_page_chooses_its_look(client, layout, marker):
    page = make_faq(entries=SHOP_FAQ, layout=layout)
    html = client.get(page.url).content.decode()
    assert marker in html
    others = {"accordion", "list", "cards"} - {layout}
    assert all(f"support-faq--{other}" not in html for other in others)


def test_a_site_overrides_a_layout_template(client, tmp_path, settings):
    override = tmp_path / "wagtail_support" / "faq"
    override.mkdir(parents=True)
    (override / "layout_list.html").write_text("<p>our own list of {{ entries|length }}</p>")
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [str(tmp_path), *settings.TEMPLATES[0]["DIRS"]]}
    ]
    page = make_faq(entries=SHOP_FAQ, layout="list")
    assert "<p>our own list of 4</p>" in client.get(page.url).content.decode()


def test_search_within_the_faq_shows_matching_answers(client):
    page = make_faq(entries=SHOP_FAQ)
    response = client.get(page.url, {"q": "refund"})
    results = response.content.decode().split('class="support-faq__results"')[1]
    results = results.split("</section>")[0]
    assert "When is my refund paid?" in results
    assert "How long does delivery take?" not in results
    response = client.get(page.url, {"q": "xylophone"})
    assert "No answer matches your search" in response.content.decode()


def test_search_finds_only_this_pages_published_entries(client):
    index = make_support_index()
    page = make_faq(index, SHOP_FAQ)
    make_faq(index, [("Is refund possible on sale items?", "<p>No.</p>")], slug="other")
    draft = page.get_latest_revision_as_object()
    draft.entries.add(FAQEntry(question="Draft refund rules", answer="<p>secret</p>"))
    draft.save_revision()
    results = client.get(page.url, {"q": "refund"}).content.decode()
    results = results.split('class="support-faq__results"')[1].split("</section>")[0]
    assert "When is my refund paid?" in results
    assert "sale items" not in results and "Draft refund rules" not in results


def _queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_faq_page_costs_the_same_queries_whatever_its_entries(client):
    index = make_support_index()
    small = make_faq(index, SHOP_FAQ[:1], slug="small")
    large = make_faq(index, SHOP_FAQ * 5, slug="large")
    client.get(small.url)  # warms the site root cache
    for page in (small, large):  # a visitor with votes costs the same too
        entry = page.entries.first()
        client.post(f"{page.url}helpful/{entry.pk}/", {"helpful": "yes"})
    assert _queries(client, small.url) == _queries(client, large.url)


def test_support_index_lists_its_sections_and_my_requests(client):
    index = make_support_index()
    faq = make_faq(index, SHOP_FAQ)
    info = InformationPage(title="Warranty", slug="warranty", intro="<p>Two years.</p>")
    index.add_child(instance=info)
    html = client.get(index.url).content.decode()
    assert f'href="{faq.url}"' in html and f'href="{info.url}"' in html
    assert 'href="/my-requests/"' in html  # the sandbox includes wagtail_support.urls
    index.add_child(instance=MyRequestsPage(title="Your requests", slug="requests"))
    html = client.get(index.url).content.decode()
    assert 'href="/my-requests/"' not in html and 'href="/support/requests/"' in html


def test_information_page_renders_text_images_and_the_contact_form(client):
    from wagtail.images.models import Image
    from wagtail.images.tests.utils import get_test_image_file

    image = Image.objects.create(title="Label", file=get_test_image_file())
    index = make_support_index()
    source = Source.objects.get(slug="website")
    page = InformationPage(
        title="Returns",
        slug="returns",
        body=[
            ("heading", "How to return"),
            ("paragraph", "<p>Pack it well.</p>"),
            ("image", {"image": image, "alt_text": "The return label", "decorative": False}),
            ("contact_form", {"source": source.slug, "heading": "Ask us"}),
        ],
    )
    index.add_child(instance=page)
    html = client.get(page.url).content.decode()
    assert "<h2>How to return</h2>" in html and "<p>Pack it well.</p>" in html
    assert 'alt="The return label"' in html
    assert "<h2>Ask us</h2>" in html and 'name="subject"' in html


@pytest.mark.parametrize("layout", ["accordion", "list", "cards"])
def test_an_editor_previews_a_draft_with_a_new_entry(layout):
    page = make_faq(entries=SHOP_FAQ, layout=layout)
    draft = page.get_latest_revision_as_object()
    draft.entries.add(FAQEntry(question="Brand new question?", answer="<p>Fresh.</p>"))
    response = draft.make_preview_request()
    html = response.content.decode()
    assert response.status_code == 200 and "Brand new question?" in html
    assert html.count('class="support-faq__helpful"') == len(SHOP_FAQ)  # none for the new one
    assert not FAQEntry.objects.filter(question="Brand new question?").exists()
