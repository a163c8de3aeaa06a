"""A few demo tickets in different states, made through intake and the engine like real ones."""

from wagtail_support import intake
from wagtail_support.models import Source, Ticket
from wagtail_support.workflows.engine import perform

REQUESTS = (
    # customer, source, subject, text, then (agent, action, data) steps
    ("carol", "website", "My order #1042 has not arrived",
     "I ordered a printer two weeks ago and it is still not here.",
     [("anna", "take", {}),
      ("anna", "reply", {"message": "Sorry! I am checking with the courier."})]),
    ("carol", "website", "Invoice shows the wrong VAT number",
     "The invoice for order #1001 has our old VAT number.",
     [("anna", "resolve", {"resolution": "Fixed", "message": "We issued a corrected invoice."})]),
    ("dmitri", "presales", "Does the X200 work with Linux?",
     "We want to buy 20 units if it works with Debian.",
     [("anna", "ask-technical", {"request_type": "Technical",
                                 "assign_group": "Technical department",
                                 "message": "Boris, can you confirm Debian support?"})]),
    ("dmitri", "website", "Installer stops at 45%",
     "The installer of version 3.2 hangs at 45% on Windows 11.",
     []),
)  # fmt: skip


CANNED_ANSWERS = (
    ("Greeting", "Hello {{ customer_name }},\n\nthank you for writing to us about "
                 "\"{{ subject }}\" ({{ ticket_number }}).\n\n{{ agent_name }}"),
    ("Courier check", "We have asked the courier where your parcel is and will write again "
                      "within one working day."),
)  # fmt: skip


def ensure_canned_answers():
    from wagtail_support.models import CannedAnswer

    for title, body in CANNED_ANSWERS:
        CannedAnswer.objects.get_or_create(title=title, owner=None, defaults={"body": body})


def ensure_tickets(users):
    """Creates the demo requests once; a site that already has tickets is left alone."""
    if Ticket.objects.exists():
        return
    from django.contrib.auth.models import Group

    for customer, source, subject, text, steps in REQUESTS:
        ticket = intake.receive(
            Source.objects.get(slug=source), customer=users[customer], subject=subject, text=text
        ).ticket
        for agent, slug, data in steps:
            if "assign_group" in data:
                data = {**data, "assign_group": Group.objects.get(name=data["assign_group"]).pk}
            action = ticket.workflow.actions.get(slug=slug)
            ticket = perform(ticket, action, users[agent], data).ticket
