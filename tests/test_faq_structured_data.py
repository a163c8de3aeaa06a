"""The FAQ page's schema.org FAQPage JSON-LD."""

import json
import re

import pytest

from tests.faq_helpers import SHOP_FAQ, make_faq

pytestmark = pytest.mark.django_db

SCRIPT = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


def json_ld(client, page):
    (text,) = SCRIPT.findall(client.get(page.url, {"q": "refund"}).content.decode())
    return json.loads(text)


def test_json_ld_is_a_faq_page_with_every_entry_and_its_answer(client):
    page = make_faq(entries=SHOP_FAQ)
    data = json_ld(client, page)
    assert data["@context"] == "https://schema.org" and data["@type"] == "FAQPage"
    assert data["url"] == "http://localhost/support/faq/"
    # Every entry, in the page's order, though the visitor searched: the data describes the page.
    assert [q["name"] for q in data["mainEntity"]] == [entry[0] for entry in SHOP_FAQ]
    for question, (_q, answer, *_c) in zip(data["mainEntity"], SHOP_FAQ, strict=True):
        assert question["@type"] == "Question"
        assert question["acceptedAnswer"] == {"@type": "Answer", "text": answer}


def test_an_answer_cannot_end_the_script_element(client):
    nasty = '<p>Type </script><script>alert(1)</script> & "quotes"</p>'
    page = make_faq(entries=[("Odd characters?", nasty)])
    html = client.get(page.url).content.decode()
    (text,) = SCRIPT.findall(html)
    assert "<" not in text and ">" not in text
    assert json.loads(text)["mainEntity"][0]["acceptedAnswer"]["text"].startswith("<p>Type ")


def test_internal_links_in_answers_are_expanded(client):
    page = make_faq(entries=[("Where?", "<p>placeholder</p>")])
    answer = f'<p>See <a linktype="page" id="{page.pk}">our FAQ</a>.</p>'
    page.entries.update(answer=answer)
    data = json_ld(client, page)
    assert data["mainEntity"][0]["acceptedAnswer"]["text"] == (
        '<p>See <a href="/support/faq/">our FAQ</a>.</p>'
    )
