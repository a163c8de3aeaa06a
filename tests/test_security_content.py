"""Remote content (issue #13, item 10): opening a ticket must not tell a mail's sender that, when
and from where an agent read it."""

import pytest
from django.urls import reverse

from tests.utils import admin_login, make_agent, new_ticket
from wagtail_support.html import without_remote_images
from wagtail_support.models import Channel, Message

pytestmark = pytest.mark.django_db

PIXEL = "https://tracker.example/open.gif?id=42"


def test_remote_images_are_blocked_until_the_agent_loads_them_for_one_message(client):
    html = f'<p>Hello</p><img src="{PIXEL}" alt="logo"><img src="//cdn.example/a.png">'
    ticket = new_ticket(source="website", email="gus@example.net", text="Hello", html=html,
                        channel=Channel.EMAIL)  # fmt: skip
    message = Message.objects.get(ticket=ticket)
    assert "tracker.example" in message.html  # stored as received (sanitised)
    admin_login(client, make_agent("anna"))
    url = reverse("support_desk:ticket", args=[ticket.pk])
    page = client.get(url).content.decode()
    assert "tracker.example" not in page and "cdn.example" not in page
    assert "Load images" in page and f"?images={message.pk}" in page
    page = client.get(url, {"images": message.pk}).content.decode()
    assert PIXEL.replace("&", "&amp;") in page
    page = client.get(url, {"images": message.pk + 1}).content.decode()
    assert "tracker.example" not in page


def test_only_images_from_elsewhere_are_blocked():
    html, blocked = without_remote_images(
        '<img src="https://a.example/x.png"><img src=" HTTP://b.example/"><img src="//c.example/">'
        '<a href="https://d.example/">link</a><img src="/static/local.png">'
    )
    assert blocked == 3
    assert "a.example" not in html and "b.example" not in html and "c.example" not in html
    assert 'href="https://d.example/"' in html and "/static/local.png" in html
