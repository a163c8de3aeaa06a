"""Inline images of received HTML mail (issue #13, item 10's leftover): a ``cid:`` image is shown
from the desk's storage, through the attachment view that checks who asks (the access matrix
covers who that is); remote images stay blocked, and nothing else may use a ``cid:`` address."""

from email.message import EmailMessage

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.mail import deliver
from tests.utils import admin_login, make_agent
from wagtail_support.models import Attachment, InboundEmail, Message

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256))


def mail_with_inline_image():
    message = EmailMessage()
    message["From"] = "Ann <ann@example.net>"
    message["To"] = "support@example.com"
    message["Subject"] = "See the picture"
    message["Message-ID"] = "<inline-1@example.net>"
    message.set_content("See the picture.")
    message.add_alternative(
        '<p>Here: <img src="cid:logo@example.net" alt="logo">'
        '<img src="cid:missing@example.net" alt="gone">'
        '<img src="https://tracker.example/pixel.png" alt="pixel">'
        '<a href="cid:logo@example.net">a link</a></p>',
        subtype="html",
    )
    message.get_payload()[1].add_related(
        PNG, "image", "png", cid="<logo@example.net>", filename="logo.png"
    )
    return message.as_bytes()


@pytest.fixture
def received():
    deliver(mail_with_inline_image())
    return Message.objects.get(email_message_id__contains="inline-1")


def ticket_page(client, message, **query):
    url = reverse("support_desk:ticket", args=[message.ticket_id])
    return client.get(url, query).content.decode()


def test_an_inline_image_is_shown_from_the_desks_storage(client, received):
    assert 'src="cid:logo@example.net"' in received.html  # kept when stored: it fetches nothing
    attachment = Attachment.objects.get(message=received)
    admin_login(client, make_agent("anna"))
    page = ticket_page(client, received)
    image = reverse("support_desk:attachment", args=[attachment.pk])
    assert f'src="{image}"' in page
    assert "tracker.example" not in page and "cid:" not in page  # blocked; no part, no address
    assert b"".join(client.get(image).streaming_content) == PNG
    # Loading the remote images changes nothing for the inline one.
    page = ticket_page(client, received, images=received.pk)
    assert f'src="{image}"' in page and "tracker.example/pixel.png" in page and "cid:" not in page


def test_after_the_raw_copy_is_removed_the_inline_image_is_not_shown(client, received):
    InboundEmail.objects.filter(message=received).update(raw=b"", raw_purged_at=timezone.now())
    image = reverse("support_desk:attachment", args=[Attachment.objects.get(message=received).pk])
    admin_login(client, make_agent("anna"))
    page = ticket_page(client, received)
    assert "cid:" not in page and 'alt="logo"' in page and f'src="{image}"' not in page
