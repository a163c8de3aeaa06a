"""The sandbox's Support section: every page answers, and running the loader again changes
nothing an editor did."""

import pytest
from django.core.management import call_command

from sandbox.demo.support import FAQ_ENTRIES, INFORMATION_PAGES
from wagtail_support.models import FAQPage, InformationPage, SupportIndexPage

pytestmark = pytest.mark.django_db


def test_the_support_section_is_built_and_renders(client):
    call_command("load_demo_data", quiet_logins=True)
    index = SupportIndexPage.objects.get()
    faq = FAQPage.objects.child_of(index).get()
    assert faq.live and faq.entries.count() == len(FAQ_ENTRIES)
    assert all(entry.category is not None for entry in faq.entries.all())
    pages = [index, faq, *InformationPage.objects.child_of(index)]
    assert len(pages) == 3 + len(INFORMATION_PAGES)  # and the support hours
    for page in pages:
        assert client.get(page.url).status_code == 200, page.url
    hours = client.get(InformationPage.objects.get(slug="hours").url).content.decode()
    assert "Europe/Warsaw" in hours and "Wednesday" in hours
    html = client.get(index.url).content.decode()
    assert 'name="wagtail_support_form"' in html and "support-faq-suggestions" in html
    results = client.get("/support-faq/suggest/", {"q": "refund"}).json()["results"]
    # Ranking differs between search backends and Wagtail versions; finding it is what counts.
    assert "When will I get my refund?" in [result["question"] for result in results]


def test_loading_again_keeps_the_editors_changes(client):
    call_command("load_demo_data", quiet_logins=True)
    faq = FAQPage.objects.get()
    faq.entries.filter(question="I forgot my password.").delete()
    InformationPage.objects.get(slug="warranty").delete()
    call_command("load_demo_data", quiet_logins=True)
    assert FAQPage.objects.get().entries.count() == len(FAQ_ENTRIES) - 1
    assert InformationPage.objects.filter(slug="warranty").count() == 1  # restored, once
    assert SupportIndexPage.objects.count() == 1
