"""The world's addresses on the way out and in forms (issue #13, item 4's leftovers): mail to a
Unicode local part goes out with SMTPUTF8 over a real SMTP conversation, and every form's
address field takes one."""

import socketserver
import threading

import django
import pytest
from django import forms
from django.core.exceptions import ValidationError

from tests.utils import new_ticket
from wagtail_support.contact.forms import ContactForm
from wagtail_support.form_fields import EmailAddressField
from wagtail_support.models import OutboundEmail, Source
from wagtail_support.models.mail import OutboundStatus

pytestmark = pytest.mark.django_db

PETR = "пётр@пример.рф"


class SMTPHandler(socketserver.StreamRequestHandler):
    """Just enough of an SMTP server to record one conversation."""

    def reply(self, line):
        self.wfile.write(line.encode() + b"\r\n")

    def handle(self):
        log = self.server.log
        self.reply("220 test ESMTP")
        while line := self.rfile.readline():
            command = line.rstrip(b"\r\n")
            verb = command[:4].upper()
            log.append(verb + command[4:])  # smtplib writes "mail FROM:", "rcpt TO:"
            if verb == b"EHLO":
                extensions = ["8BITMIME", *(["SMTPUTF8"] if self.server.smtputf8 else [])]
                for extension in ["test", *extensions[:-1]]:
                    self.reply(f"250-{extension}")
                self.reply(f"250 {extensions[-1]}")
            elif verb == b"DATA":
                self.reply("354 go on")
                data = b""
                while (chunk := self.rfile.readline()) not in (b".\r\n", b""):
                    data += chunk
                self.server.messages.append(data)
                self.reply("250 queued")
            elif verb == b"QUIT":
                self.reply("221 bye")
                return
            else:
                self.reply("250 ok")


@pytest.fixture(params=[True, False], ids=["smtputf8", "ascii-only"])
def smtp_server(request, settings):
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), SMTPHandler)
    server.daemon_threads = True
    server.log, server.messages, server.smtputf8 = [], [], request.param
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    host, port = server.server_address
    backend = "django.core.mail.backends.smtp.EmailBackend"
    if django.VERSION >= (6, 1):
        options = {"host": host, "port": port, "use_tls": False, "use_ssl": False}
        settings.MAILERS = {"default": {"BACKEND": backend, "OPTIONS": options}}
    else:
        settings.EMAIL_BACKEND, settings.EMAIL_HOST, settings.EMAIL_PORT = backend, host, port
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    yield server
    server.shutdown()
    server.server_close()


def test_mail_to_a_unicode_local_part_goes_out_with_smtputf8(
    smtp_server, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        ticket = new_ticket(email=PETR, name="Пётр", subject="Где мой заказ?")
    row = OutboundEmail.objects.get(ticket=ticket)
    assert list(row.to) == [PETR] or PETR in str(row.to)
    if not smtp_server.smtputf8:
        # A server that cannot take the address: the mail fails (and is retried), it is never
        # sent to an address made up from an encoded word.
        assert row.status == OutboundStatus.FAILED and smtp_server.messages == []
        assert b"=?utf-8?" not in b"".join(smtp_server.log)
        return
    assert row.status == OutboundStatus.SENT
    mail_from = next(line for line in smtp_server.log if line.upper().startswith(b"MAIL FROM"))
    assert b"SMTPUTF8" in mail_from.upper()
    assert f"RCPT TO:<{PETR}>".encode() in smtp_server.log
    (data,) = smtp_server.messages
    (to,) = [line for line in data.split(b"\r\n") if line.startswith(b"To:")]
    assert PETR.encode() in to and b"=?" not in to  # as typed, not an encoded word


def test_an_ascii_address_still_goes_through_djangos_backend(
    smtp_server, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        ticket = new_ticket(email="ann@пример.рф", subject="Domain only")
    assert OutboundEmail.objects.get(ticket=ticket).status == OutboundStatus.SENT
    assert b"RCPT TO:<ann@xn--e1afmkfd.xn--p1ai>" in smtp_server.log  # IDNA, no SMTPUTF8
    mail_from = next(line for line in smtp_server.log if line.upper().startswith(b"MAIL FROM"))
    assert b"SMTPUTF8" not in mail_from.upper()


def test_the_address_field_takes_internationalised_addresses_and_refuses_the_rest():
    field = EmailAddressField()
    assert field.clean(PETR) == PETR and field.clean("ann@example.com") == "ann@example.com"
    with pytest.raises(ValidationError):
        forms.EmailField().clean(PETR)  # what the field replaces
    for bad in ("not an address", "a@b", "<x>@example.com", "ann@@example.com", "a b@x.example"):
        with pytest.raises(ValidationError):
            field.clean(bad)
    # Browsers refuse a non-ASCII local part in an <input type="email"> before posting.
    assert 'type="text"' in field.widget.render("email", PETR)


def test_the_contact_form_takes_a_unicode_local_part():
    form = ContactForm(
        Source.objects.get(slug="feedback"),
        None,
        {"name": "Пётр", "email": PETR, "subject": "Привет", "description": "Всё хорошо"},
    )
    form.is_valid()
    assert "email" not in form.errors
    assert form.cleaned_data["email"] == PETR
