"""The contact-form block: rendering, posting, designed fields, spam protection (R-IN5 to R-IN9)."""

import time
from unittest import mock

import pytest
from django.core import mail
from django.test import override_settings
from wagtail.models import Page

from tests.testapp.models import StreamPage
from tests.utils import make_user, upload
from wagtail_support.contact import spam
from wagtail_support.models import BlockedSender, ContactFormField, Source, Ticket

pytestmark = pytest.mark.django_db


@pytest.fixture
def page():
    website = Source.objects.get(slug="website")
    website.preamble = "<p>We answer within one working day.</p>"
    website.save()
    ContactFormField.objects.create(
        source=website, label="Order number", key="order", field_type="text", required=True
    )
    ContactFormField.objects.create(
        source=website, label="Urgency", key="urgency", field_type="priority"
    )
    root = Page.get_first_root_node()
    page = root.add_child(
        instance=StreamPage(
            title="Contact",
            slug="contact",
            body=[
                ("contact_form", {"source": "website", "heading": "Write to us"}),
                ("contact_form", {"source": "feedback", "heading": "Tell us what you think"}),
            ],
        )
    )
    from wagtail.models import Site

    site = Site.objects.get(is_default_site=True)
    site.root_page = page
    site.save()
    return page


def fill(client, page, **overrides):
    """A valid guest post for the first form, as a person would send it."""
    data = {
        "wagtail_support_form": "1:website",
        "name": "Gus Guest",
        "email": "gus@example.net",
        "subject": "Parcel lost",
        "description": "It never arrived.",
        "order": "A-1001",
        "urgency": "30",
        "website": "",
        "started": spam.started_token(),
    }
    data.update(overrides)
    return data


@pytest.fixture(autouse=True)
def _no_wait(settings):
    settings.WAGTAIL_SUPPORT_SPAM_MIN_FILL_SECONDS = 0
    from django.core.cache import cache

    cache.clear()


def test_the_block_shows_preamble_designed_fields_and_guest_contact(client, page):
    html = client.get(page.url).content.decode()
    assert "We answer within one working day." in html
    assert 'name="order"' in html and 'name="email"' in html and 'name="attachments"' in html
    assert html.count('name="wagtail_support_form"') == 2  # two blocks, two forms


def test_a_valid_post_makes_a_ticket_shows_its_number_and_mails_a_confirmation(
    client, page, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(page.url, fill(client, page, attachments=upload("photo.jpg")))
    assert response.status_code == 302
    ticket = Ticket.objects.get()
    assert ticket.subject == "Parcel lost" and ticket.customer_email == "gus@example.net"
    assert ticket.custom_fields == {"order": "A-1001"} and ticket.priority == 30
    assert ticket.attachments.count() == 1 and not ticket.is_spam
    shown = client.get(response["Location"]).content.decode()
    assert f"Your request number is {ticket.number}" in shown
    assert len(mail.outbox) == 1
    confirmation = mail.outbox[0]
    assert ticket.number in confirmation.subject and confirmation.to == ["gus@example.net"]
    assert confirmation.extra_headers["Auto-Submitted"] == "auto-replied"


def test_an_invalid_post_keeps_what_was_typed_and_shows_errors_on_that_form_only(client, page):
    response = client.post(page.url, fill(client, page, order="", email="not-an-address"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "It never arrived." in html and "Parcel lost" in html
    assert html.count("errorlist") >= 2
    assert not Ticket.objects.exists()


def test_a_logged_in_customer_is_not_asked_for_name_and_address(client, page):
    carol = make_user("carol")
    client.force_login(carol)
    assert 'name="email"' not in client.get(page.url).content.decode()
    data = fill(client, page)
    del data["email"], data["name"]
    client.post(page.url, data)
    assert Ticket.objects.get().customer == carol


def test_the_second_form_posts_to_its_own_source(client, page):
    client.post(
        page.url,
        {
            "wagtail_support_form": "2:feedback",
            "name": "F",
            "email": "f@example.net",
            "subject": "Love it",
            "description": "Great shop.",
            "started": spam.started_token(),
        },
    )
    assert Ticket.objects.get().source.slug == "feedback"


def test_a_post_for_a_source_not_on_the_page_is_ignored(client, page):
    response = client.post(page.url, fill(client, page, wagtail_support_form="1:presales"))
    assert response.status_code == 200 and not Ticket.objects.exists()


@pytest.mark.parametrize(
    "trap",
    ["honeypot", "too_fast", "forged_time", "blocklisted"],
)
def test_spam_is_refused_without_saying_why(client, page, settings, trap):
    data = fill(client, page)
    if trap == "honeypot":
        data["website"] = "http://spam.example"
    elif trap == "too_fast":
        settings.WAGTAIL_SUPPORT_SPAM_MIN_FILL_SECONDS = 30
    elif trap == "forged_time":
        settings.WAGTAIL_SUPPORT_SPAM_MIN_FILL_SECONDS = 3
        data["started"] = str(time.time() - 60)
    else:
        BlockedSender.objects.create(pattern="@example.net")
    response = client.post(page.url, data)
    html = response.content.decode()
    assert "We could not accept this request. Please try again later." in html
    for hint in ("honeypot", "too fast", "blocked", "website"):
        assert hint not in html.split("We could not accept")[1][:200].lower()
    assert not Ticket.objects.exists() and mail.outbox == []


def test_the_rate_limit_per_address(client, page, settings):
    settings.WAGTAIL_SUPPORT_SPAM_RATE_LIMIT_PER_EMAIL = 2
    for _ in range(3):
        client.post(page.url, fill(client, page))
    assert Ticket.objects.count() == 2


def test_flag_mode_keeps_spam_as_a_ticket_in_the_spam_list(
    client, page, settings, django_capture_on_commit_callbacks
):
    settings.WAGTAIL_SUPPORT_SPAM_ACTION = "flag"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(page.url, fill(client, page, website="http://spam.example"))
    ticket = Ticket.objects.get()
    assert ticket.is_spam and mail.outbox == []


@override_settings(
    RECAPTCHA_PUBLIC_KEY="6LeIxAcTAAAAAJcZVRqyHh71UMIEGNQ_MXjiZKhI",
    RECAPTCHA_PRIVATE_KEY="6LeIxAcTAAAAAGG-vFI1TnRWxMZNFuojJ4WifJWe",
    SILENCED_SYSTEM_CHECKS=["django_recaptcha.recaptcha_test_key_error"],
)
def test_recaptcha_is_checked_when_the_site_has_keys(client, page):
    from django_recaptcha.client import RecaptchaResponse

    assert "g-recaptcha" in client.get(page.url).content.decode()
    with mock.patch(
        "django_recaptcha.fields.client.submit",
        return_value=RecaptchaResponse(is_valid=False, extra_data={}, error_codes=["bad"]),
    ):
        client.post(page.url, fill(client, page, **{"g-recaptcha-response": "x"}))
    assert not Ticket.objects.exists()
    with mock.patch(
        "django_recaptcha.fields.client.submit",
        return_value=RecaptchaResponse(is_valid=True, extra_data={}),
    ):
        client.post(page.url, fill(client, page, **{"g-recaptcha-response": "x"}))
    assert Ticket.objects.count() == 1


def test_without_keys_there_is_no_recaptcha(client, page):
    assert "g-recaptcha" not in client.get(page.url).content.decode()


def test_form_values_are_searchable_in_the_inbox(client, page, django_capture_on_commit_callbacks):
    from django.contrib.auth.models import Permission
    from django.urls import reverse

    from tests.utils import PASSWORD, make_agent

    client.post(page.url, fill(client, page, order="Z-777"))
    agent = make_agent("agent")
    agent.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.login(username="agent", password=PASSWORD)
    inbox = client.get(reverse("support_desk:inbox"), {"field": "order", "field_value": "z-777"})
    assert [t.subject for t in inbox.context["object_list"]] == ["Parcel lost"]


def test_the_form_designer_refuses_keys_the_form_uses_itself():
    from django.core.exceptions import ValidationError

    field = ContactFormField(source=Source.objects.get(slug="website"), label="E", key="email")
    with pytest.raises(ValidationError, match="taken by the form itself"):
        field.clean()


def test_forms_nested_in_structs_lists_and_streams_are_found_in_the_stored_data():
    from wagtail import blocks

    from wagtail_support.blocks.contact import ContactFormBlock
    from wagtail_support.contact.handling import sources_in

    column = blocks.StreamBlock([("form", ContactFormBlock()), ("text", blocks.CharBlock())])
    section = blocks.StructBlock(
        [
            ("title", blocks.CharBlock()),
            ("forms", blocks.ListBlock(ContactFormBlock())),
            ("body", column),
        ]
    )
    body = blocks.StreamBlock([("section", section), ("form", ContactFormBlock())])
    raw = [
        {"type": "form", "value": {"source": "website", "heading": ""}, "id": "1"},
        {
            "type": "section",
            "id": "2",
            "value": {
                "title": "Write to us",
                "forms": [
                    {"type": "item", "value": {"source": "sales", "heading": ""}, "id": "3"},
                    {"source": "feedback", "heading": ""},  # a list item stored the older way
                ],
                "body": [
                    {"type": "text", "value": "source", "id": "4"},
                    {"type": "form", "value": {"source": "phone", "heading": ""}, "id": "5"},
                ],
            },
        },
        {"type": "gone", "value": {"source": "removed-block-type"}, "id": "6"},
    ]
    assert sources_in(body, raw) == {"website", "sales", "feedback", "phone"}
