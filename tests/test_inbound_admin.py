"""The admin's incoming e-mail screen: list, inspect, download the raw copy, process again."""

import pytest
from django.urls import reverse

from tests.mail import deliver, raw_mail
from tests.utils import admin_login, make_agent, make_user
from wagtail_support.models import Source, Ticket

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    return admin_login(client, make_user("root", superuser=True))


def test_the_list_shows_stored_mail_and_its_status(admin_client):
    Source.objects.filter(slug="email").update(enabled=False)
    deliver(raw_mail(subject="Nowhere to go"))
    response = admin_client.get(reverse("support_inbound_mail:index"))
    assert response.status_code == 200
    assert "Nowhere to go" in response.content.decode()
    assert "Quarantined" in response.content.decode()


def test_quarantined_mail_is_processed_again_from_the_admin(admin_client):
    Source.objects.filter(slug="email").update(enabled=False)
    mail = deliver(raw_mail(subject="Fix the source first"))
    page = admin_client.get(reverse("support_inbound_mail:inspect", args=[mail.pk]))
    assert page.status_code == 200 and "Process again" in page.content.decode()
    Source.objects.filter(slug="email").update(enabled=True)
    response = admin_client.post(reverse("support_inbound_mail:reprocess", args=[mail.pk]))
    assert response.status_code == 302
    mail.refresh_from_db()
    assert mail.status == "processed" and Ticket.objects.get().subject == "Fix the source first"
    # Processed mail is not processed twice.
    admin_client.post(reverse("support_inbound_mail:reprocess", args=[mail.pk]))
    assert Ticket.objects.count() == 1


def test_the_raw_copy_downloads_as_a_file(admin_client):
    raw = raw_mail(subject="Raw please")
    mail = deliver(raw)
    response = admin_client.get(reverse("support_inbound_mail:raw", args=[mail.pk]))
    assert response.status_code == 200 and response.content == raw
    assert response["Content-Disposition"].startswith("attachment")


def test_an_agent_without_the_permission_sees_and_reprocesses_nothing(client):
    admin_login(client, make_agent("agnes"))
    mail = deliver(raw_mail(headers={"Auto-Submitted": "auto-replied"}, subject="Secret"))
    raw = client.get(reverse("support_inbound_mail:raw", args=[mail.pk]))
    assert raw.status_code in (302, 403) and b"Secret" not in raw.content
    # Wagtail's admin turns PermissionDenied into a redirect with a message.
    reprocess = client.post(reverse("support_inbound_mail:reprocess", args=[mail.pk]))
    assert reprocess.status_code in (302, 403)
    mail.refresh_from_db()
    assert mail.status == "dropped" and mail.attempts == 1
    assert client.get(reverse("support_inbound_mail:index")).status_code in (302, 403)


def test_the_ticket_page_shows_the_new_part_and_folds_the_whole_email(client):
    agent = make_agent("anna", perms=["view_all_tickets"])
    html = (
        "<p>Still broken.</p><blockquote>On Monday you wrote: try again</blockquote>"
        "<script>alert(1)</script>"
    )
    text = "Still broken.\n\nOn Monday, Support <s@x.io> wrote:\n> try again\n"
    mail = deliver(raw_mail(text=text, html=html))
    page = admin_login(client, agent).get(reverse("support_desk:ticket", args=[mail.ticket_id]))
    content = page.content.decode()
    assert page.status_code == 200
    assert '<div class="ws-body">Still broken.</div>' in content
    assert '<details class="ws-full-email">' in content and "try again" in content
    assert "<script>alert(1)</script>" not in content
