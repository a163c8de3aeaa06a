"""``support_receive_email``: a whole conversation by e-mail in the sandbox, raw mail fed in by the
command (issue #7's "done when")."""

import io
import sys

import pytest
from django.core.management import CommandError, call_command
from django.test import TestCase

from tests.mail import raw_mail
from tests.utils import make_agent, reload
from wagtail_support.models import InboundEmail, Ticket
from wagtail_support.workflows.engine import perform

pytestmark = pytest.mark.django_db


def _receive(raw, *args, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(raw)))
    out = io.StringIO()
    with TestCase.captureOnCommitCallbacks(execute=True):
        call_command("support_receive_email", *args, stdout=out)
    return out.getvalue()


def test_a_customer_runs_a_whole_conversation_by_email(monkeypatch):
    out = _receive(
        raw_mail(subject="Printer on fire", message_id="<c1@example.net>"), monkeypatch=monkeypatch
    )
    ticket = Ticket.objects.get()
    assert out.split()[1:3] == ["processed", ticket.number]

    agent = make_agent("boris", perms=["view_all_tickets"])
    resolve = ticket.workflow.actions.get(slug="resolve")
    perform(reload(ticket), resolve, agent, {"resolution": "Fixed", "message": "Replaced it."})
    assert reload(ticket).state.slug == "resolved"

    # The customer answers the agent's mail: the subject keeps the number, and they take part.
    _receive(
        raw_mail(subject=f"Re: [#{ticket.number}] Printer on fire", text="It burns again!\n"),
        monkeypatch=monkeypatch,
    )
    ticket = reload(ticket)
    assert ticket.state.slug == "reopened"
    assert [m.text for m in ticket.messages.order_by("pk")] == [
        "It will not stop burning.",
        "Replaced it.",
        "It burns again!",
    ]


def test_files_are_read_and_a_source_can_be_named(tmp_path, monkeypatch):
    path = tmp_path / "mail.eml"
    path.write_bytes(raw_mail(subject="From a file"))
    out = io.StringIO()
    with TestCase.captureOnCommitCallbacks(execute=True):
        call_command("support_receive_email", str(path), "--source", "email", stdout=out)
    assert InboundEmail.objects.get().source.slug == "email" and "processed" in out.getvalue()
    with pytest.raises(CommandError, match="No source"):
        call_command("support_receive_email", str(path), "--source", "nope")
    with pytest.raises(CommandError, match="empty"):
        _receive(b"", monkeypatch=monkeypatch)
