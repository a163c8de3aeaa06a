"""Files and bodies that come in: programs and scripts are refused wherever a file enters, by
name and by content; only the inbound webhooks take a body larger than Django's default."""

from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from tests import esp_posts
from tests.esp_posts import ANYMAIL
from tests.mail import deliver, raw_mail
from tests.test_contact_form import fill, page  # noqa: F401 (page is a fixture)
from tests.utils import PASSWORD, admin_login, make_agent, make_user, new_ticket
from wagtail_support.attachments import type_refusal
from wagtail_support.models import Attachment, InboundEmail, Message, MessageKind, Ticket

pytestmark = pytest.mark.django_db

MiB = 1024 * 1024
PE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 56  # the start of a Windows program
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256))


@pytest.mark.parametrize(
    ("name", "head"),
    [
        ("setup.exe", b"anything"),
        ("Invoice.PDF.EXE", b"%PDF-1.7"),
        ("run.exe. ", b""),  # Windows drops the trailing dot and space
        ("install.sh", b"echo hi"),
        ("macro.vbs", b"x"),
        ("notes.txt", PE),
        ("readme", b"#!/bin/sh\nrm -rf ~\n"),
        ("photo.jpg", b"\x7fELF\x02\x01\x01"),
        ("tool.dat", b"\xcf\xfa\xed\xfe\x07\x00"),
    ],
)
def test_programs_and_scripts_are_refused_by_name_or_by_content(name, head):
    assert type_refusal(name, head)


@pytest.mark.parametrize(
    ("name", "head"),
    [("report.pdf", b"%PDF-1.7"), ("photo.png", PNG[:8]), ("page.html", b"<html>"), ("x", b"")],
)
def test_documents_and_images_are_accepted(name, head):
    assert type_refusal(name, head) is None


@override_settings(
    WAGTAIL_SUPPORT_ATTACHMENT_ALLOWED_EXTENSIONS=["pdf", ".PNG", "exe"],
    WAGTAIL_SUPPORT_ATTACHMENT_REFUSE_EXECUTABLE_CONTENT=False,
)
def test_an_allow_list_admits_only_its_types_and_the_refused_stay_refused():
    assert type_refusal("scan.PDF", b"%PDF") is None
    assert type_refusal("scan.png", PE) is None  # content sniffing turned off
    assert ".pdf, .png" in type_refusal("notes.txt", b"hello")
    assert type_refusal("no-extension", b"hello")
    assert "exe" in type_refusal("setup.exe", b"")


@override_settings(WAGTAIL_SUPPORT_ATTACHMENT_REFUSED_EXTENSIONS=[])
def test_the_deny_list_can_be_emptied_but_content_is_still_sniffed():
    assert type_refusal("setup.exe", b"text") is None
    assert type_refusal("setup.exe", PE)


@pytest.fixture
def no_spam_checks(settings):
    settings.WAGTAIL_SUPPORT_SPAM_MIN_FILL_SECONDS = 0
    settings.WAGTAIL_SUPPORT_SPAM_RATE_LIMIT_PER_IP = 0


def test_the_contact_form_names_the_refused_file_and_makes_no_ticket(client, page, no_spam_checks):  # noqa: F811
    files = [SimpleUploadedFile("invoice.pdf.exe", PE), SimpleUploadedFile("ok.txt", b"fine")]
    response = client.post(page.url, fill(client, page, attachments=files))
    assert response.status_code == 200
    html = response.content.decode()
    assert "invoice.pdf.exe" in html and "files ending in .exe are not accepted" in html
    assert not Ticket.objects.exists() and not Attachment.objects.exists()


def test_a_customers_reply_with_a_script_in_disguise_is_refused_with_the_text_kept(client):
    carol = make_user("carol")
    ticket = new_ticket(customer=carol)
    client.login(username="carol", password=PASSWORD)
    response = client.post(
        reverse("wagtail_support_portal:reply", args=[ticket.number]),
        {"text": "See the log", "attachments": SimpleUploadedFile("log.txt", b"#!/bin/sh\n")},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "it holds a program or a script" in html and "See the log" in html
    assert not Message.objects.filter(text="See the log").exists()
    assert not Attachment.objects.exists()


def test_an_agents_reply_with_a_program_is_refused_and_nothing_is_written(client):
    anna = make_agent("anna", groups=["First line support"])
    ticket = new_ticket(customer=make_user("carol"))
    response = admin_login(client, anna).post(
        reverse("support_desk:ticket", args=[ticket.pk]),
        {
            "action": "reply",
            "version": ticket.version,
            "message": "Here is the fix",
            "attachments": SimpleUploadedFile("fix.zip", b"\x7fELF\x02\x01"),
        },
    )
    assert response.status_code == 200
    assert "fix.zip" in response.content.decode()
    assert not Message.objects.filter(text="Here is the fix").exists()
    assert not Attachment.objects.exists()


def test_an_inbound_mail_keeps_its_text_and_other_files_and_agents_are_told():
    result = deliver(
        raw_mail(
            text="Logs and a screenshot attached.\n",
            attachments=[
                ("update.exe", PE, "application/octet-stream"),
                ("screen.png", PNG, "image/png"),
                ("collect.txt", b"#!/usr/bin/env python\n", "text/plain"),
            ],
        )
    )
    assert result.status == "processed"
    ticket = result.ticket
    [stored] = ticket.attachments.all()
    assert stored.original_name == "screen.png" and stored.file.read() == PNG
    assert "Logs and a screenshot attached." in result.message.text
    assert {f["name"] for f in result.left_out} == {"update.exe", "collect.txt"}
    note = ticket.messages.get(kind=MessageKind.NOTE)
    assert "update.exe" in note.text and "files ending in .exe are not accepted" in note.text
    assert "collect.txt" in note.text and "it holds a program or a script" in note.text


# Upload limits: Django's default everywhere but the inbound webhooks.


def test_an_anonymous_8_mib_form_post_is_refused(client, page, no_spam_checks):  # noqa: F811
    response = client.post(page.url, fill(client, page, description="x" * (8 * MiB)))
    assert response.status_code in (400, 413)
    assert not Ticket.objects.exists()


def _big_mail():
    # 6 MiB of attachment is about 8 MiB once base64-encoded in the message.
    return raw_mail(
        attachments=[("dump.bin.gz", bytes(range(256)) * (24 * 1024), "application/gzip")]
    )


@pytest.mark.parametrize("post", [esp_posts.mailgun_raw, esp_posts.postmark_raw])
def test_a_large_inbound_webhook_post_is_accepted(client, post):
    raw = _big_mail()
    assert len(raw) > 8 * MiB
    with override_settings(ANYMAIL=ANYMAIL):
        response = post(client, raw)
    assert response.status_code == 200
    inbound = InboundEmail.objects.get()
    assert inbound.status == "processed", inbound.reason
    assert Ticket.objects.get().attachments.get().size == 256 * 24 * 1024


@override_settings(ANYMAIL=ANYMAIL, WAGTAIL_SUPPORT_INBOUND_WEBHOOK_MAX_SIZE=1 * MiB)
def test_a_webhook_post_over_the_inbound_limit_is_refused(client):
    response = esp_posts.mailgun_raw(client, _big_mail())
    assert response.status_code == 400
    assert not InboundEmail.objects.exists()


@override_settings(ANYMAIL=ANYMAIL)
def test_a_post_without_the_webhook_secret_is_refused_before_its_body_is_read(client):
    with mock.patch("wagtail_support.mail.webhook_urls.read_body") as read_body:
        response = client.post(
            "/anymail/mailgun/inbound/", {"body-mime": "x" * (3 * MiB)}, HTTP_AUTHORIZATION=""
        )
    assert response.status_code == 400
    read_body.assert_not_called()
    assert not InboundEmail.objects.exists()
