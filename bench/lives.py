"""Real ticket lives, played once each through the app's own services (intake, the workflow
engine, read marks, following), so the seeder copies rows exactly as the app writes them: the
history, stored mail, SLA projection and every column the app maintains.

A life is a list of steps; everything one step writes happens at one moment of the ticket's
life. The seeder later moves each step to a moment of its own (``clone.py``).
"""

from dataclasses import dataclass, field

# Final states by share of tickets (the shape of the desk in issue 12): open 20 %, reopened 5 %,
# resolved 10 %, closed 60 %, waiting 5 %.
OUTCOMES = (("open", 20), ("reopened", 5), ("resolved", 10), ("closed", 60), ("waiting", 5))


@dataclass
class Life:
    source: str
    outcome: str
    third: str  # "customer" (a customer's reply) or "note" (an internal note)
    steps: list = field(default_factory=list)  # names, for the time offsets of each step


# What agents do to reach each outcome after the three messages, per workflow.
FINISH = {
    "support": {
        "open": [],
        "reopened": [("resolve", {"resolution": "Answered"}), ("@customer", {})],
        "resolved": [("resolve", {"resolution": "Fixed"})],
        "closed": [("resolve", {"resolution": "Answered"}), ("close", {"close_reason": "Other"})],
        "waiting": [("ask", {"message": "Could you send us the order number, please?"})],
    },
    "presales": {
        "open": [],
        "reopened": [],
        "resolved": [],
        "closed": [("close", {})],
        "waiting": [],
    },
    "feedback": {
        "open": [],
        "reopened": [],
        "resolved": [],
        "closed": [("close", {})],
        "waiting": [],
    },
}
# The agent's answer (the second message) per workflow: it moves the ticket on, as on a real desk.
ANSWER = {"support": "reply", "presales": "answer", "feedback": "acknowledge"}


def play(source, outcome, third, assigned, agent, customer, texts):
    """Plays one life on a new ticket of ``source``; returns (ticket, steps) where steps[i] is the
    wall-clock instant at which step i began (the seeder maps every timestamp by it)."""
    from django.utils import timezone

    from tests.utils import perform_action
    from wagtail_support import intake, tracking
    from wagtail_support.models import Ticket

    steps = []

    def step():
        steps.append(timezone.now())

    step()
    if source.kind == "email":
        ticket = _by_mail(customer, texts["subject"], texts["question"])
    else:
        entered_by = agent if source.kind == "manual" else None
        ticket = intake.receive(
            source,
            customer=customer,
            subject=texts["subject"],
            text=texts["question"],
            entered_by=entered_by,
        ).ticket
    workflow = ticket.workflow.slug
    step()
    tracking.mark_read(ticket, agent)
    if assigned:
        tracking.follow(ticket, agent)
        ticket = perform_action(ticket, "take", agent) if _has(ticket, "take") else ticket
    answer = ANSWER[workflow]
    if workflow == "presales" and outcome in ("open", "reopened", "waiting"):
        # Open presales questions wait for the technical department's advice.
        answer = "note"
    ticket = perform_action(ticket, answer, agent, {"message": texts["answer"]})
    tracking.mark_read(ticket, agent)
    step()
    if third == "note":
        ticket = perform_action(ticket, "note", agent, {"message": texts["third"]})
        tracking.mark_read(ticket, agent)
    else:
        _customer_writes(source, ticket, customer, texts["third"])
    for slug, data in FINISH[workflow][outcome]:
        step()
        if slug == "@customer":
            # A customer's answer to a resolved request reopens it.
            _customer_writes(source, ticket, customer, texts["closing"])
            continue
        message = texts["closing"] if slug == "resolve" else ""
        ticket = perform_action(ticket, slug, agent, {"message": message, **data})
        tracking.mark_read(ticket, agent)
    return Ticket.objects.get(pk=ticket.pk), steps


def _customer_writes(source, ticket, customer, text):
    from wagtail_support import intake

    if source.kind == "email":
        _by_mail(customer, f"Re: [{ticket.number}] {ticket.subject}", text)
    else:
        intake.receive(source, customer=customer, ticket=ticket, text=text)


def _by_mail(customer, subject, text):
    """The customer writes by e-mail: stored raw and run through the whole inbound pipeline."""
    from tests.mail import raw_mail
    from wagtail_support.mail import inbound

    name = customer.get_full_name()
    raw = raw_mail(sender=f"{name} <{customer.email}>", subject=subject, text=text + "\n")
    stored = inbound.process(inbound.store(raw, channel="webhook").pk)
    assert stored.status == "processed", (stored.status, stored.reason)
    return stored.ticket


def _has(ticket, slug):
    return ticket.workflow.actions.filter(slug=slug).exists()
