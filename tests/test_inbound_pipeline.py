"""The inbound pipeline: storing, filtering, threading and posting e-mail (issue #7, R-IN3, R-IN4,
R-WF8)."""

import pytest
from django.core import mail
from django.test import override_settings

from tests.mail import deliver, raw_mail
from tests.utils import make_agent, make_user, new_ticket, reload
from wagtail_support.mail import inbound
from wagtail_support.mail.addresses import body_reference, reply_address
from wagtail_support.mail.headers import LOOP_HEADER, loop_marker
from wagtail_support.models import (
    BlockedSender,
    InboundEmail,
    Message,
    MessageKind,
    OutboundEmail,
    Participant,
    Source,
    State,
    Ticket,
)

pytestmark = pytest.mark.django_db


def email_ticket(**kwargs):
    kwargs.setdefault("email", "ann@example.net")
    return new_ticket("email", **kwargs)


def test_a_new_mail_becomes_a_ticket_in_the_only_email_source_and_is_confirmed():
    result = deliver(raw_mail(subject="Printer on fire", text="Help!\n"))
    assert result.status == "processed", result.reason
    ticket = result.ticket
    assert ticket.source.slug == "email" and ticket.number.startswith("MAIL-")
    assert ticket.subject == "Printer on fire"
    assert ticket.customer_email == "ann@example.net" and ticket.customer_name == "Ann Customer"
    message = result.message
    assert message.channel == "email" and message.from_customer and message.text == "Help!"
    confirmation = OutboundEmail.objects.get(ticket=ticket, kind="confirmation")
    assert confirmation.status == "sent" and confirmation.to == ["ann@example.net"]
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["ann@example.net"]


def test_the_raw_copy_is_kept_byte_for_byte():
    raw = raw_mail(text="Zażółć gęślą jaźń\n")
    result = deliver(raw)
    assert bytes(result.raw) == raw and result.size == len(raw)


def test_a_mail_to_a_sources_address_goes_to_that_source():
    sales = Source.objects.get(slug="email")
    sales.pk, sales.slug, sales.number_prefix = None, "sales-mail", "SM-"
    sales.email_address = "sales@example.com"
    sales.save()
    result = deliver(raw_mail(to="Sales <sales+promo@example.com>"))
    assert result.ticket.source.slug == "sales-mail"


def test_without_a_matching_source_the_mail_is_quarantined_not_lost():
    Source.objects.filter(slug="email").update(enabled=False)
    result = deliver(raw_mail())
    assert result.status == "quarantined" and result.ticket is None
    assert not Ticket.objects.exists() and bytes(result.raw)


def test_a_reply_threads_by_in_reply_to_of_our_mail_and_reopens_a_resolved_ticket(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        ticket = email_ticket()  # its notifications done, as after any committed request
    confirmations = OutboundEmail.objects.filter(ticket=ticket, kind="confirmation")
    assert confirmations.count() == 1
    OutboundEmail.objects.create(
        ticket=ticket, kind="action", email_message_id="out-1@desk.example.com"
    )
    ticket.state = State.objects.get(workflow__slug="support", slug="resolved")
    ticket.save()
    result = deliver(
        raw_mail(subject="Re: something else entirely", in_reply_to="<out-1@desk.example.com>")
    )
    assert result.status == "processed" and result.ticket == ticket
    assert reload(ticket).state.slug == "reopened"
    assert Ticket.objects.count() == 1
    # A reply makes no confirmation: only new requests are confirmed.
    assert confirmations.count() == 1


def test_a_reply_threads_by_references_to_an_earlier_customer_message():
    first = deliver(raw_mail(message_id="<first@example.net>"))
    result = deliver(raw_mail(references="<unknown@x> <first@example.net>", subject="More"))
    assert result.ticket == first.ticket and first.ticket.messages.count() == 2


def test_the_signed_token_in_the_address_or_the_body_threads_the_reply():
    ticket = email_ticket()
    by_address = deliver(raw_mail(to=reply_address(ticket.pk, "support@example.com")))
    assert by_address.ticket == ticket
    by_body = deliver(raw_mail(text=f"Thanks\n\n> old text {body_reference(ticket.pk)}\n"))
    assert by_body.ticket == ticket
    forged = deliver(raw_mail(text=f"[ref:{ticket.pk}.000000000000]"))
    assert forged.ticket != ticket


def test_the_number_in_the_subject_threads_only_for_someone_on_the_ticket():
    ticket = email_ticket()
    stranger = deliver(raw_mail(sender="eve@evil.example", subject=f"Re: [#{ticket.number}]"))
    assert stranger.ticket != ticket and stranger.ticket.customer_email == "eve@evil.example"
    own = deliver(raw_mail(subject=f"Re: [#{ticket.number.lower()}] Printer"))
    assert own.ticket == ticket
    # The confirmation's subject, answered: the bare number with its prefix.
    bare = deliver(raw_mail(subject=f"Re: We received your request {ticket.number}: Printer"))
    assert bare.ticket == ticket


def test_a_stranger_with_a_matching_header_starts_a_new_ticket():
    ticket = email_ticket()
    OutboundEmail.objects.create(
        ticket=ticket, kind="action", email_message_id="out-2@desk", to=["ann@example.net"]
    )
    result = deliver(raw_mail(sender="eve@evil.example", in_reply_to="<out-2@desk>"))
    assert result.ticket != ticket
    assert not Participant.objects.filter(ticket=ticket).exists()


def test_cc_joins_as_participant_whose_reply_is_public_and_never_changes_the_customer():
    first = deliver(raw_mail(cc="Bob Boss <bob@example.net>, support@example.com"))
    ticket = first.ticket
    assert list(ticket.participants.values_list("email", flat=True)) == ["bob@example.net"]
    ticket.state = State.objects.get(workflow__slug="support", slug="resolved")
    ticket.save()
    reply = deliver(
        raw_mail(
            sender="Bob Boss <bob@example.net>",
            to="support@example.com",
            cc="ann@example.net",
            in_reply_to=f"<{first.email_message_id}>",
            text="Please hurry.\n",
        )
    )
    assert reply.status == "processed" and reply.ticket == ticket
    message = reply.message
    assert message.kind == MessageKind.REPLY and message.author_email == "bob@example.net"
    ticket = reload(ticket)
    assert ticket.customer_email == "ann@example.net" and ticket.customer_id is None
    # A participant's reply counts for the requesting side: it reopens the request.
    assert message.from_customer and ticket.state.slug == "reopened"


def test_someone_copied_on_our_mail_joins_when_they_reply():
    ticket = email_ticket()
    OutboundEmail.objects.create(
        ticket=ticket, kind="action", email_message_id="out-3@desk", cc=["carl@example.net"]
    )
    result = deliver(raw_mail(sender="carl@example.net", in_reply_to="<out-3@desk>"))
    assert result.ticket == ticket
    assert ticket.participants.filter(email="carl@example.net").exists()


def test_an_account_holders_reply_is_theirs():
    carol = make_user("carol", email="carol@example.net")
    ticket = email_ticket(customer=carol, email="")
    result = deliver(raw_mail(sender="carol@example.net", to=reply_address(ticket.pk, "s@x.io")))
    assert result.ticket == ticket and result.message.author == carol


def test_an_agents_mail_reply_is_quarantined_never_posted_publicly():
    make_agent("agnes")
    ticket = email_ticket()
    result = deliver(raw_mail(sender="agnes@example.com", to=reply_address(ticket.pk, "s@x.io")))
    assert result.status == "quarantined" and ticket.messages.count() == 1


def test_the_same_mail_twice_makes_one_message():
    raw = raw_mail()
    first, second = deliver(raw), deliver(raw)
    assert first.status == "processed" and second.status == "duplicate"
    assert second.message == first.message and Message.objects.count() == 1
    assert InboundEmail.objects.count() == 2  # both raw copies kept


def test_a_mail_without_message_id_is_still_idempotent():
    raw = b"From: ann@example.net\r\nTo: support@example.com\r\nSubject: Hi\r\n\r\nBody\r\n"
    first, second = deliver(raw), deliver(raw)
    assert first.status == "processed" and second.status == "duplicate"


def test_processing_twice_does_nothing_the_second_time():
    stored = inbound.store(raw_mail(), channel="command")
    inbound.process(stored.pk)
    again = inbound.process(stored.pk)
    assert again.status == "processed" and again.attempts == 1
    assert Message.objects.count() == 1


@pytest.mark.parametrize(
    "headers",
    [
        {"Auto-Submitted": "auto-replied"},
        {"X-Autoreply": "yes"},
        {"X-Autorespond": "Out of office"},
        {"Precedence": "bulk"},
        {"Precedence": "junk"},
        {"Precedence": "list"},
        {"Precedence": "auto_reply"},
        {"Return-Path": "<>"},
    ],
)
def test_auto_replies_and_bounces_are_dropped(headers):
    ticket = email_ticket()
    result = deliver(raw_mail(to=reply_address(ticket.pk, "s@x.io"), headers=headers))
    assert result.status == "dropped" and result.reason
    assert ticket.messages.count() == 1 and Ticket.objects.count() == 1
    assert mail.outbox == [] or all("ann@" not in m.to[0] for m in mail.outbox[1:])


def test_auto_submitted_no_is_a_person():
    assert deliver(raw_mail(headers={"Auto-Submitted": "no"})).status == "processed"


@pytest.mark.parametrize("sender", ["MAILER-DAEMON@mx.example.net", "postmaster@example.net"])
def test_mailer_daemons_are_dropped(sender):
    assert deliver(raw_mail(sender=sender)).status == "dropped"


def test_a_delivery_report_is_dropped():
    raw = (
        b"From: someone@example.net\r\nTo: support@example.com\r\nSubject: Undelivered\r\n"
        b"Message-ID: <dsn@x>\r\nMIME-Version: 1.0\r\n"
        b'Content-Type: multipart/report; report-type=delivery-status; boundary="b"\r\n\r\n'
        b"--b\r\nContent-Type: text/plain\r\n\r\nFailed\r\n--b--\r\n"
    )
    assert deliver(raw).status == "dropped"


@override_settings(WAGTAIL_SUPPORT_INBOUND_AUTO_REPLIES="quarantine")
def test_auto_replies_can_be_quarantined_and_reprocessed_after_all():
    result = deliver(raw_mail(headers={"Auto-Submitted": "auto-replied"}))
    assert result.status == "quarantined"
    with override_settings(WAGTAIL_SUPPORT_INBOUND_AUTO_REPLIES="drop"):
        assert inbound.reprocess(result.pk).status == "dropped"


def test_our_own_mail_coming_back_is_dropped():
    looped = deliver(raw_mail(headers={LOOP_HEADER: loop_marker()}))
    assert looped.status == "dropped"
    from_us = deliver(raw_mail(sender="support@example.com"))
    assert from_us.status == "dropped"
    assert not Ticket.objects.exists()


def test_the_blocklist_drops_the_mail():
    BlockedSender.objects.create(pattern="@spam.example")
    result = deliver(raw_mail(sender="x@spam.example"))
    assert result.status == "dropped" and not Ticket.objects.exists()


@override_settings(WAGTAIL_SUPPORT_CONFIRMATION_LIMIT_PER_HOUR=2)
def test_confirmations_are_capped_per_sender_per_hour():
    for i in range(4):
        deliver(raw_mail(subject=f"Request {i}"))
    deliver(raw_mail(sender="other@example.net"))
    assert Ticket.objects.count() == 5
    assert sorted(m.to[0] for m in mail.outbox) == [
        "ann@example.net",
        "ann@example.net",
        "other@example.net",
    ]


def test_the_new_part_is_shown_and_the_quoted_history_folded():
    text = "Still broken.\n\nOn Mon, 1 Jan 2026, Support <s@x.io> wrote:\n> Try again\n"
    message = deliver(raw_mail(text=text)).message
    assert message.text == "Still broken."
    assert "<details>" not in message.text and "Try again" in message.html


def test_html_is_sanitised():
    html = '<p onclick="steal()">Hello<script>alert(1)</script><img src=x onerror=alert(2)></p>'
    message = deliver(raw_mail(html=html)).message
    assert "Hello" in message.html
    assert "script" not in message.html and "onerror" not in message.html
    assert "onclick" not in message.html


@override_settings(WAGTAIL_SUPPORT_ATTACHMENT_MAX_SIZE=100)
def test_attachments_over_the_limit_are_left_out_and_agents_told():
    from wagtail_support.signals import attachments_left_out

    told = []
    attachments_left_out.connect(
        lambda **kw: told.append(kw["files"]), weak=False, dispatch_uid="t"
    )
    try:
        result = deliver(
            raw_mail(
                attachments=[
                    ("small.txt", b"x" * 50, "text/plain"),
                    ("big.pdf", b"y" * 500, "application/pdf"),
                ]
            )
        )
    finally:
        attachments_left_out.disconnect(dispatch_uid="t")
    assert result.status == "processed"
    assert list(result.ticket.attachments.values_list("original_name", flat=True)) == ["small.txt"]
    assert [f["name"] for f in result.left_out] == ["big.pdf"]
    note = result.ticket.messages.get(kind=MessageKind.NOTE)
    assert "big.pdf" in note.text
    assert told == [result.left_out]
    assert inbound.attachments_left_out(result.message) == result.left_out
    # The customer learns it too, in a mail of its own.
    [notice] = [m for m in mail.outbox if "did not arrive" in m.subject]
    assert notice.to == ["ann@example.net"] and "big.pdf" in notice.body


def test_a_failure_keeps_the_raw_copy_and_reprocessing_recovers(monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("bug")

    monkeypatch.setattr("wagtail_support.intake.receive", broken)
    failed = deliver(raw_mail())
    assert failed.status == "failed" and "RuntimeError" in failed.error
    assert not Ticket.objects.exists() and InboundEmail.objects.get().raw
    monkeypatch.undo()
    assert inbound.reprocess(failed.pk).status == "processed"
    assert Ticket.objects.count() == 1


@pytest.mark.parametrize(
    "headers",
    [{"X-Spam-Flag": "YES"}, {"X-Spam-Status": "Yes, score=9.1"}, {"X-SES-Spam-Verdict": "FAIL"}],
)
def test_mail_the_mail_system_marked_as_spam_lands_in_the_spam_list_unconfirmed(headers):
    result = deliver(raw_mail(headers=headers))
    assert result.status == "processed" and result.ticket.is_spam
    assert mail.outbox == []  # not confirmed
    assert not deliver(raw_mail(headers={"X-Spam-Status": "No, score=0.1"})).ticket.is_spam


def test_a_failure_after_the_message_was_posted_rolls_it_back_and_unlinks_it(monkeypatch):
    def broken(ticket, parsed):
        raise RuntimeError("bug after posting")

    monkeypatch.setattr(inbound, "_copy_participants", broken)
    failed = deliver(raw_mail())
    assert failed.status == "failed" and failed.message is None and failed.ticket is None
    assert not Message.objects.exists() and not Ticket.objects.exists()
