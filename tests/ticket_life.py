"""One realistic ticket life made through the app's own services, for the storage figures
(tests/test_storage_per_ticket.py, tests/measure_storage.py) and the bench seeder to copy:

1. a guest sends the website's contact form (intake), and is sent a confirmation;
2. an agent opens it and takes it, a second agent follows it;
3. the agent answers in public (Reply: New → In progress, the first response is measured);
4. the customer answers that mail by e-mail (In-Reply-To), or in 30 % of lives the agent
   writes an internal note instead;
5. the agent resolves it with a public answer (the resolution is measured, the clock stops);
6. a week later auto-close closes it.

A service level applies, notifications and confirmations are on, the escalation scan runs at
every step. ``clock`` is a tests.sla_utils.Clock or anything with ``advance(**delta)``.
"""

from django.contrib.auth import get_user_model
from django.test import TestCase

from wagtail_support import intake, tracking
from wagtail_support.mail import inbound
from wagtail_support.models import Channel, OutboundEmail, ServiceLevel, Source
from wagtail_support.models.mail import OutboundKind
from wagtail_support.sla import escalation
from wagtail_support.workflows.engine import perform


def after_commit():
    """Runs what a step schedules for after its commit, also inside a test's transaction."""
    return TestCase.captureOnCommitCallbacks(execute=True)


def setup_desk():
    """A default service level and two agents; returns (assignee, follower)."""
    from tests.sla_utils import make_level
    from tests.utils import make_agent

    if not ServiceLevel.objects.exists():
        make_level("Standard", first=240, next_=480, resolution=2880, warning=30)
    users = get_user_model().objects
    anna = users.filter(username="life-anna").first() or make_agent("life-anna")
    bob = users.filter(username="life-bob").first() or make_agent("life-bob")
    return anna, bob


def _act(ticket, slug, actor, **data):
    with after_commit():
        action = ticket.workflow.actions.get(slug=slug)
        return perform(ticket, action, actor, data).ticket


def _scan():
    with after_commit():
        escalation.scan()
        escalation.auto_close()


def live(clock, n=0, *, note=False, agents=None):
    """Makes ticket number ``n`` go through its life; returns the ticket."""
    anna, bob = agents or setup_desk()
    address = f"customer{n}@example.net"
    with after_commit():
        ticket = intake.receive(
            Source.objects.get(slug="website"),
            subject=f"The printer in room {n} prints blank pages",
            text="Since Monday every page comes out blank, toner is new. Model LX-400.\n" * 3,
            email=address,
            name=f"Customer {n}",
            channel=Channel.WEB,
            language="en",
        ).ticket
    _scan()

    clock.advance(minutes=5)
    tracking.mark_read(ticket, anna)
    ticket = _act(ticket, "take", anna)
    tracking.follow(ticket, bob)
    _scan()

    clock.advance(minutes=25)
    ticket = _act(
        ticket,
        "reply",
        anna,
        message="Please switch the printer off and on again, then print a test page.\n" * 2,
    )
    tracking.mark_read(ticket, anna)
    _scan()

    clock.advance(hours=2)
    if note:
        ticket = _act(ticket, "note", anna, message="Called the customer, waiting for a photo.")
    else:
        sent = OutboundEmail.objects.filter(
            ticket=ticket, kind=OutboundKind.NOTIFICATION, to=[address]
        ).latest("pk")
        raw = _customer_mail(address, ticket, sent.email_message_id)
        with after_commit():
            stored = inbound.store(raw, channel="webhook")
            inbound.process(stored.pk)
        ticket.refresh_from_db()
    _scan()

    clock.advance(hours=2)
    tracking.mark_read(ticket, anna)
    ticket = _act(
        ticket,
        "resolve",
        anna,
        message="The fuser was replaced; it prints again.",
        resolution="Fixed",
    )
    _scan()

    clock.advance(days=7, hours=1)
    _scan()
    ticket.refresh_from_db()
    return ticket


def _customer_mail(address, ticket, in_reply_to):
    from tests.mail import raw_mail

    return raw_mail(
        sender=f"Customer <{address}>",
        to="support@example.com",
        subject=f"Re: [{ticket.number}] {ticket.subject}",
        text="Still blank after the restart, see the photo.\n\n> Please switch the printer off\n",
        in_reply_to=f"<{in_reply_to}>",
        references=f"<{in_reply_to}>",
    )
