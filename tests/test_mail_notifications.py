"""Who gets which mail about a ticket: action e-mails per recipient kind, default notifications,
internal notes kept from the customer's side, preferences, languages, the confirmation's cap and
the SLA alerts (R-WF4, R-CU3, R-CU5, R-DK3, R-IN6)."""

from urllib.parse import urlparse

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.exceptions import ValidationError
from wagtail.users.models import UserProfile

from tests.mail_backends import TEST_BACKEND, act, use_backend
from tests.mail_backends import mail_to as to
from tests.utils import PASSWORD, make_agent, make_user, new_ticket, reload
from wagtail_support.mail.escalation import send_escalation
from wagtail_support.models import (
    NotificationPreferences,
    OutboundEmail,
    Participant,
    Source,
    Ticket,
)
from wagtail_support.models.mail import OutboundKind, OutboundStatus
from wagtail_support.sla import escalation
from wagtail_support.workflows.models import ActionEmail, Recipient

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _anymail(settings):
    use_backend(settings, TEST_BACKEND)


def template(ticket, slug, recipient, **kwargs):
    action = ticket.workflow.actions.get(slug=slug)
    return ActionEmail.objects.create(
        action=action,
        recipient=recipient,
        subject=kwargs.pop("subject", "{{ number }} for {{ recipient_name }}"),
        body=kwargs.pop("body", "State: {{ state }}. {{ message }}"),
        **kwargs,
    )


@pytest.fixture
def guest_ticket(commit):
    with commit():
        ticket = new_ticket(email="gus@example.net", name="Gus")
    mail.outbox.clear()
    return ticket


def test_action_emails_reach_each_kind_of_recipient(guest_ticket, commit):
    ticket = guest_ticket
    anna = make_agent("anna")
    billing = Group.objects.create(name="Billing")
    billy = make_agent("billy", groups=["Billing"])
    fay = make_agent("fay")
    sam = make_agent("sam", groups=["Support supervisors"])
    Ticket.objects.filter(pk=ticket.pk).update(assignee=anna, assigned_group=billing)
    ticket.follows.create(user=fay)
    for kind in Recipient.values:
        template(ticket, "reply", kind, fixed_address="ops@example.org" if kind == "fixed" else "")
    zed = make_agent("zed")
    act(ticket, "reply", zed, commit, message="We are on it.")
    expected = {
        "gus@example.net": "customer",
        anna.email: "assignee",
        billy.email: "group",
        fay.email: "followers",
        sam.email: "supervisors",
        "ops@example.org": "fixed",
    }
    action_mail = {row.to[0]: row for row in OutboundEmail.objects.filter(kind=OutboundKind.ACTION)}
    assert set(action_mail) == set(expected)
    for address in expected:
        [sent] = to(address)  # one mail each: the action's e-mail stands in for the default
        assert sent.body.count("We are on it.") == 1
    # The customer sees the state's customer label; agents its name.
    assert "State: " + reload(ticket).state.label_for_customer in to("gus@example.net")[0].body
    assert "State: " + reload(ticket).state.name in to(anna.email)[0].body
    assert to("zed@example.com") == []


def test_an_internal_note_never_reaches_the_customer_or_a_participant(guest_ticket, commit):
    ticket = guest_ticket
    Participant.objects.create(ticket=ticket, email="pat@example.org")
    fay = make_agent("fay")
    ticket.follows.create(user=fay)
    template(ticket, "note", Recipient.CUSTOMER)
    template(ticket, "note", Recipient.FIXED, fixed_address="GUS@example.net")
    template(ticket, "note", Recipient.FIXED, fixed_address="pat@example.org")
    act(ticket, "note", make_agent("anna"), commit, message="Secret: refund him quietly.")
    assert (
        to("gus@example.net") == [] and to("pat@example.org") == [] and to("GUS@example.net") == []
    )
    [agent_mail] = to(fay.email)
    assert "Secret: refund him quietly." in agent_mail.body
    sent_rows = OutboundEmail.objects.exclude(kind=OutboundKind.CONFIRMATION)
    assert {row.to[0] for row in sent_rows} == {fay.email}


def test_closing_with_a_note_tells_the_customer_the_state_without_the_note(guest_ticket, commit):
    ticket = guest_ticket
    act(
        ticket,
        "close",
        make_agent("anna"),
        commit,
        message="Duplicate of the other one, ignore.",
        close_reason="Duplicate",
    )
    [sent] = to("gus@example.net")
    assert reload(ticket).state.label_for_customer in sent.subject
    assert "ignore" not in sent.body and "ignore" not in sent.alternatives[0][0]


def test_participants_get_public_replies_without_the_customers_link(guest_ticket, commit):
    ticket = guest_ticket
    Participant.objects.create(ticket=ticket, email="pat@example.org", name="Pat")
    act(ticket, "reply", make_agent("anna"), commit, message="Fixed in the next release.")
    [theirs] = to("pat@example.org")
    [customers] = to("gus@example.net")
    assert "Fixed in the next release." in theirs.body
    assert "/my-requests/link/" not in theirs.body and "/my-requests/link/" in customers.body


def test_preferences_switch_off_answers_and_state_changes_separately(commit):
    carol = make_user("carol")
    with commit():
        ticket = new_ticket(customer=carol)
    mail.outbox.clear()
    prefs = NotificationPreferences.objects.create(user=carol, new_message=False)
    anna = make_agent("anna")
    act(ticket, "ask", anna, commit, message="Which model is it?")
    [sent] = to(carol.email)  # the state change only, without the answer
    assert "Which model is it?" not in sent.body
    assert reload(ticket).state.label_for_customer in sent.subject
    prefs.state_change = False
    prefs.save()
    template(ticket, "reply", Recipient.CUSTOMER)
    act(ticket, "reply", anna, commit, message="Never mind.")
    assert len(to(carol.email)) == 1


def test_nobody_is_mailed_their_own_change_and_followers_hear_of_the_customer(commit):
    carol = make_user("carol")
    anna = make_agent("anna")
    with commit():
        ticket = new_ticket(customer=carol)
    ticket.follows.create(user=anna)
    act(ticket, "reply", anna, commit, message="Hello Carol.")
    assert to(anna.email) == []
    with commit():
        new_ticket(ticket=reload(ticket), customer=carol, text="Still broken.")
    [told] = to(anna.email)
    assert "Still broken." in told.body and "You follow this request." in told.body
    assert len(to(carol.email)) == 2  # confirmation and the reply, not her own message


def test_agents_mail_is_in_their_own_language(commit):
    anna = make_agent("anna")
    UserProfile.objects.create(user=anna, preferred_language="ru")
    source = Source.objects.get(slug="website")
    source.default_assignee = anna
    source.save()
    with commit():
        new_ticket(email="gus@example.net", language="pl")
    [agent_mail] = to(anna.email)
    assert "Эта заявка передана вам." in agent_mail.body
    assert OutboundEmail.objects.get(to=[anna.email]).language == "ru"
    assert to("gus@example.net")[0].subject.startswith("Otrzymaliśmy")


def test_a_new_request_nobody_is_responsible_for_alerts_the_supervisors(commit):
    sam = make_agent("sam", groups=["Support supervisors"])
    with commit():
        new_ticket(email="gus@example.net")
    assert to(sam.email) == []  # the SLA scan's report tells them, once
    with commit():
        escalation.report_unattended()
    [alert] = to(sam.email)
    assert "Nobody is responsible for this request." in alert.body


def test_confirmations_are_capped_per_address_and_never_sent_for_spam(commit, settings):
    settings.WAGTAIL_SUPPORT_CONFIRMATION_LIMIT_PER_HOUR = 2
    with commit():
        for number in range(3):
            new_ticket(email="robot@example.net", subject=f"Out of office {number}")
        new_ticket(email="spammer@example.net", is_spam=True)
    assert len(to("robot@example.net")) == 2
    skipped = OutboundEmail.objects.get(status=OutboundStatus.SKIPPED)
    assert skipped.kind == OutboundKind.CONFIRMATION and "2" in skipped.error
    assert to("spammer@example.net") == []


def test_a_request_taken_by_phone_is_confirmed_too(commit):
    with commit():
        new_ticket(
            Source.objects.get(slug="phone"), email="gus@example.net", entered_by=make_agent("a")
        )
    [sent] = to("gus@example.net")
    assert "TEL-" in sent.subject


def test_link_only_sends_the_link_instead_of_the_text(guest_ticket, commit):
    template(guest_ticket, "reply", Recipient.CUSTOMER, link_only=True)
    act(guest_ticket, "reply", make_agent("anna"), commit, message="Private details here.")
    [sent] = to("gus@example.net")
    assert "Private details here." not in sent.body and "/my-requests/link/" in sent.body


def test_a_resolved_request_mail_has_rating_links_that_preselect_the_score(client, commit):
    carol = make_user("carol")
    with commit():
        ticket = new_ticket(customer=carol)
    act(ticket, "resolve", make_agent("anna"), commit, message="Fixed.", resolution="Fixed")
    sent = to(carol.email)[-1]
    links = [line.split(": ", 1)[1] for line in sent.body.splitlines() if "?score=" in line]
    assert len(links) == 5 and links[3].endswith(f"/{ticket.number}/?score=4#rating")
    client.login(username="carol", password=PASSWORD)
    link = urlparse(links[3])
    page = client.get(f"{link.path}?{link.query}").content
    assert b'value="4" required checked' in page


def test_sla_alerts_go_to_staff_once_per_key(guest_ticket, commit):
    anna = make_agent("anna")
    UserProfile.objects.create(user=anna, preferred_language="pl")
    with commit():
        rows = send_escalation(
            guest_ticket,
            [anna, "ops@example.org", "gus@example.net"],
            target="resolution",
            minutes=15,
        )
    assert {row.to[0] for row in rows} == {anna.email, "ops@example.org"}
    assert all(row.kind == OutboundKind.ESCALATION for row in rows)
    assert (
        "resolution" in to("ops@example.org")[0].subject
        and "15" in to("ops@example.org")[0].subject
    )
    with commit():
        again = send_escalation(
            guest_ticket, [anna, "ops@example.org"], target="resolution", minutes=15
        )
        send_escalation(guest_ticket, ["ops@example.org"], target="resolution")
    assert again == [] and len(to(anna.email)) == 1
    assert "Breached" in to("ops@example.org")[-1].subject


def test_action_email_templates_are_checked_when_saved(guest_ticket):
    action = guest_ticket.workflow.actions.get(slug="reply")
    email = ActionEmail(
        action=action, recipient="customer", subject="{{ number|no_such_filter }}", body="{% if %}"
    )
    with pytest.raises(ValidationError) as error:
        email.clean()
    assert set(error.value.message_dict) == {"subject", "body"}


def test_supervisors_are_the_superusers_when_the_groups_have_nobody(commit):
    boss = make_user("boss", superuser=True)
    with commit():
        new_ticket(email="gus@example.net")
        escalation.report_unattended()
    [alert] = to(boss.email)
    assert "Nobody is responsible" in alert.body


def test_agents_who_may_not_see_the_ticket_get_no_mail_about_it(guest_ticket, commit):
    ticket = reload(guest_ticket)
    billing = Group.objects.create(name="Billing")
    ticket.state.visible_to_groups.add(billing)
    ticket.state.save()  # a parental many-to-many is written when its owner is saved
    insider = make_agent("insider", groups=["Billing"])
    outsider = make_agent("outsider")
    for user in (insider, outsider):
        ticket.follows.create(user=user)
    template(ticket, "note", Recipient.FOLLOWERS)
    act(ticket, "note", make_user("root", superuser=True), commit, message="Check the invoice.")
    assert len(to(insider.email)) == 1 and to(outsider.email) == []


def test_a_broken_stored_template_is_recorded_and_the_other_mails_still_go(guest_ticket, commit):
    fay = make_agent("fay")
    guest_ticket.follows.create(user=fay)
    broken = template(guest_ticket, "reply", Recipient.CUSTOMER)
    ActionEmail.objects.filter(pk=broken.pk).update(body="{% if %}")  # bypassing the form's check
    act(guest_ticket, "reply", make_agent("anna"), commit, message="Here you go.")
    skipped = OutboundEmail.objects.get(status=OutboundStatus.SKIPPED)
    assert skipped.to == ["gus@example.net"] and "if" in skipped.error
    assert len(to(fay.email)) == 1
    [default] = to("gus@example.net")  # the customer still gets the answer, in the default mail
    assert "Here you go." in default.body


def test_a_customer_with_an_account_is_mailed_at_its_current_address(commit):
    carol = make_user("carol")
    with commit():
        ticket = new_ticket(customer=carol)
    carol.email = "carol@new.example.com"
    carol.save()
    act(ticket, "reply", make_agent("anna"), commit, message="Hello.")
    assert len(to("carol@example.com")) == 1  # the confirmation, before the change
    assert "Hello." in to("carol@new.example.com")[0].body
