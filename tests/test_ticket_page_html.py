"""The ticket page's rows written in Python (``admin/ticket_html.py``): every value escaped once,
internal notes marked, and the side panel naming what the ticket is filed under."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from tests.sla_utils import make_level
from tests.utils import admin_login, make_agent, new_ticket, upload
from wagtail_support.models import Category, Service
from wagtail_support.workflows.engine import perform

pytestmark = pytest.mark.django_db

HOSTILE = "<script>alert(\"x\")</script> & 'y'"
ESCAPED = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#x27;y&#x27;"
FILE_NAME = "<b onclick=\"x\"> & 'y'.txt"  # no slash: a file's name keeps none


def page(client, ticket):
    return client.get(reverse("support_desk:ticket", args=[ticket.pk])).content.decode()


def test_hostile_texts_names_and_file_names_are_escaped_once_everywhere(client):
    anna = make_agent("anna")
    anna.first_name = HOSTILE
    anna.save()
    ticket = new_ticket(
        email="mallory@example.net", name=f"Mallory {HOSTILE}", subject=f"Subject {HOSTILE}",
        text=f"Text {HOSTILE}",
    )  # fmt: skip
    older = new_ticket(email="mallory@example.net", subject=f"Older {HOSTILE}")
    note = ticket.workflow.actions.get(slug="note")
    perform(ticket, note, anna, {"message": f"Note {HOSTILE}"}, files=[upload(FILE_NAME)])
    html = page(admin_login(client, anna), ticket)
    for shown in ("Text", "Note", "Mallory", f"{older.number}</a> Older"):
        assert f"{shown} {ESCAPED}" in html, shown  # thread, author, the customer's other ticket
    assert f"<strong>{ESCAPED}</strong>" in html  # the agent's name in the thread
    assert f" · {ESCAPED} · " in html  # ... and as the history's actor
    assert ">&lt;b onclick=&quot;x&quot;&gt; &amp; &#x27;y&#x27;.txt</a> (" in html  # a file
    assert HOSTILE not in html and "&amp;lt;" not in html  # nothing raw, nothing twice


def test_internal_notes_are_marked_and_the_customers_messages_told_apart(client):
    anna = make_agent("anna")
    ticket = new_ticket(email="carol@example.net", text="Where is my parcel?")
    perform(ticket, ticket.workflow.actions.get(slug="note"), anna, {"message": "Ask the courier"})
    perform(ticket, ticket.workflow.actions.get(slug="reply"), anna, {"message": "On its way"})
    html = page(admin_login(client, anna), ticket)
    thread = html.split('<ol class="ws-thread">')[1].split("</ol>")[0]
    rows = thread.split("</li>")[:-1]
    assert len(rows) == 3
    customer, note, reply = rows
    assert 'class="ws-message ws-message--customer"' in customer
    assert "Where is my parcel?" in customer
    assert 'class="ws-message ws-message--note"' in note and "Ask the courier" in note
    assert '<span class="ws-note-label">Internal note</span>' in note
    assert 'class="ws-message"' in reply and "On its way" in reply
    assert "Internal note" not in customer + reply
    history = html.split('<ol class="ws-history">')[1].split("</ol>")[0]
    assert "Internal note" in history and "Message" in history


def test_the_side_panel_names_group_category_service_and_level_without_more_queries(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    anna = make_agent("anna")
    admin_login(client, anna)
    bare = new_ticket(email="a@example.net")
    filed = new_ticket(email="b@example.net")
    filed.assigned_group = Group.objects.create(name="Second line <b>")
    filed.category = Category.objects.create(name="Deliveries", slug="deliveries")
    filed.service = Service.objects.create(name="Parcel tracking")
    filed.service_level = make_level("Gold level", first=60)
    filed.save()
    url = reverse("support_desk:ticket", args=[filed.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        html = client.get(url).content.decode()
    for name in ("Second line &lt;b&gt;", "Deliveries", "Parcel tracking", "Gold level"):
        assert f"<dd>{name}</dd>" in html, name
    client.get(reverse("support_desk:ticket", args=[bare.pk]))
    with CaptureQueriesContext(connection) as bare_captured:
        html = client.get(reverse("support_desk:ticket", args=[bare.pk])).content.decode()
    assert "Parcel tracking" not in html and "<dd>—</dd>" in html
    assert len(captured) == len(bare_captured)
