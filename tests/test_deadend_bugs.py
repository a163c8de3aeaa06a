"""Dead ends of issue #15 item 1: a reply's files reach the customer who follows by e-mail
(within a size cap, the rest as a link), and guests are asked to rate, and rate, through their
signed link. (Saving a filter after a live search: tests/test_deadend_bugs_browser.py.)"""

from urllib.parse import urlparse

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.mail_backends import TEST_BACKEND, use_backend
from tests.mail_backends import mail_to as to
from tests.utils import make_agent, new_ticket, reload
from wagtail_support.models import EventKind, Message, Rating, TicketEvent
from wagtail_support.portal import guest
from wagtail_support.workflows.engine import perform
from wagtail_support.workflows.models import ActionEmail, Recipient

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _anymail(settings):
    use_backend(settings, TEST_BACKEND)


@pytest.fixture
def gus_ticket(commit):
    with commit():
        ticket = new_ticket(email="gus@example.net", name="Gus")
    mail.outbox.clear()
    return ticket


def file(name, content):
    return SimpleUploadedFile(name, content, content_type="text/plain")


def act(ticket, slug, actor, commit, files=(), **data):
    with commit():
        action = ticket.workflow.actions.get(slug=slug)
        return perform(reload(ticket), action, actor, data, files=files)


def test_a_replys_files_go_with_the_mail_that_carries_it(gus_ticket, commit):
    anna = make_agent("anna")
    fay = make_agent("fay")
    gus_ticket.follows.create(user=fay)
    act(
        gus_ticket,
        "reply",
        anna,
        commit,
        files=[file("label.txt", b"print me"), file("steps.txt", b"1. 2. 3.")],
        message="The label and the steps are attached.",
    )
    [sent] = to("gus@example.net")
    assert [(name, content) for name, content, _type in sent.attachments] == [
        ("label.txt", "print me"),
        ("steps.txt", "1. 2. 3."),
    ]
    [told] = to(fay.email)  # an agent following by e-mail gets them too
    assert len(told.attachments) == 2


def test_files_over_the_cap_become_a_link_to_the_request(gus_ticket, commit, settings):
    settings.WAGTAIL_SUPPORT_MAIL_ATTACHMENTS_MAX_SIZE = 12
    act(
        gus_ticket,
        "reply",
        make_agent("anna"),
        commit,
        files=[file("small.txt", b"0123456789"), file("large.txt", b"0123456789")],
        message="Two files.",
    )
    [sent] = to("gus@example.net")
    assert [name for name, _content, _type in sent.attachments] == ["small.txt"]
    assert "large.txt (10\xa0bytes)" in sent.body and "small.txt (" not in sent.body
    listed = sent.body.split("download them from the request's page:", 1)[1]
    assert guest.path(reload(gus_ticket)) in listed
    html = sent.alternatives[0][0]
    assert "large.txt" in html and guest.path(reload(gus_ticket)) in html

    settings.WAGTAIL_SUPPORT_MAIL_ATTACHMENTS_MAX_SIZE = 0
    mail.outbox.clear()
    act(gus_ticket, "reply", make_agent("bo"), commit, files=[file("a.txt", b"x")], message="More.")
    [sent] = to("gus@example.net")
    assert sent.attachments == [] and "a.txt" in sent.body


def test_notes_link_only_mails_and_the_customers_own_files_are_not_sent(gus_ticket, commit):
    anna = make_agent("anna")
    fay = make_agent("fay")
    gus_ticket.follows.create(user=fay)
    act(gus_ticket, "note", anna, commit, files=[file("secret.txt", b"x")], message="Internal.")
    assert to("gus@example.net") == []
    assert all(m.attachments == [] for m in mail.outbox)  # the note's file stays in the desk
    mail.outbox.clear()
    action = gus_ticket.workflow.actions.get(slug="reply")
    ActionEmail.objects.create(
        action=action,
        recipient=Recipient.CUSTOMER,
        subject="{{ number }}",
        body="{{ message }}",
        link_only=True,
    )
    act(gus_ticket, "reply", anna, commit, files=[file("a.txt", b"x")], message="Private.")
    [sent] = to("gus@example.net")
    assert sent.attachments == [] and "Private." not in sent.body


def test_a_guest_is_asked_to_rate_and_rates_through_the_link(client, gus_ticket, commit):
    act(gus_ticket, "reply", make_agent("anna"), commit, message="Try this.")
    act(gus_ticket, "resolve", make_agent("bo"), commit, message="Fixed.", resolution="Fixed")
    sent = to("gus@example.net")[-1]
    links = [line.split(": ", 1)[1] for line in sent.body.splitlines() if "?score=" in line]
    assert len(links) == 5
    link = urlparse(links[3])
    assert link.path == guest.path(reload(gus_ticket)) and link.query == "score=4"
    page = client.get(f"{link.path}?{link.query}").content.decode()
    assert 'value="4" required checked' in page
    assert f'action="{link.path}rate/"' in page

    response = client.post(f"{link.path}rate/", {"score": "4"})
    assert response.status_code == 302 and response["Referrer-Policy"] == "no-referrer"
    rating = Rating.objects.get(ticket=gus_ticket, message=None)
    assert rating.score == 4 and rating.customer is None
    event = TicketEvent.objects.get(ticket=gus_ticket, kind=EventKind.RATING)
    assert event.actor_email == "gus@example.net"
    assert "You rated this 4 of 5." in client.get(link.path).content.decode()
    client.post(f"{link.path}rate/", {"score": "5"})
    assert Rating.objects.get(ticket=gus_ticket, message=None).score == 4  # once

    # An answer rated low with a comment: the comment is the guest's message.
    answer = Message.objects.get(ticket=gus_ticket, text="Try this.")
    client.post(
        f"{link.path}rate/", {"score": "1", "message": answer.pk, "comment": "Did not help."}
    )
    assert Rating.objects.get(message=answer).score == 1
    written = Message.objects.get(ticket=gus_ticket, text="Did not help.")
    assert written.from_customer and written.author_email == "gus@example.net"


def test_a_guest_cannot_rate_an_open_request_or_through_a_bad_link(client, gus_ticket):
    path = guest.path(gus_ticket)
    page = client.get(path).content.decode()
    assert 'id="rating"' not in page
    client.post(f"{path}rate/", {"score": "5"})
    assert not Rating.objects.exists()
    assert client.post(f"{path[:-5]}xxxx/rate/", {"score": "5"}).status_code == 404
    guest.revoke(gus_ticket, make_agent("anna"))
    assert client.post(f"{path}rate/", {"score": "5"}).status_code == 404
    assert client.get(f"{path}rate/").status_code in (404, 405)
    assert reverse("wagtail_support_portal:guest_rate", args=["t"]).endswith("/link/t/rate/")
