"""The inbox's rows are written as strings with per-page shortcuts (``admin/inbox_rows.py``):
every value escaped once, and each text the same as the Django and Wagtail function it stands
in for, in every language the desk ships."""

from datetime import timedelta

import pytest
from django import forms
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.html import conditional_escape
from django.utils.text import capfirst
from django.utils.timesince import timesince, timeuntil
from wagtail.admin.templatetags.wagtailadmin_tags import timesince_simple

from tests.utils import admin_login, make_agent, new_ticket
from wagtail_support.admin.inbox_choices import HiddenInput, NullBooleanSelect, TextInput
from wagtail_support.admin.inbox_rows import DateTexts, Page, esc
from wagtail_support.models import Ticket
from wagtail_support.workflows.engine import perform

pytestmark = pytest.mark.django_db

INBOX = reverse("support_desk:inbox")
HOSTILE_SUBJECT = "<script>alert(\"x\")</script> & 'q'"
HOSTILE_NAME = "<b onmouseover='x'>Eve</b>"
# Away from a unit's edge, so that the second or so between two calls changes no text.
AGES = [
    timedelta(seconds=-3600),  # in the future: "just now"
    timedelta(seconds=20),
    timedelta(minutes=2, seconds=30),
    timedelta(hours=3, minutes=30),
    timedelta(days=1, hours=5, minutes=30),
    timedelta(days=10, hours=12),
    timedelta(days=45, hours=12),
    timedelta(days=400, hours=12),
]


@pytest.fixture
def anna(client):
    anna = make_agent("anna", groups=["First line support"])
    admin_login(client, anna)
    return anna


def test_a_hostile_subject_customer_name_and_excerpt_are_escaped_in_every_view(client, anna):
    ticket = new_ticket(email="eve@example.net", name=HOSTILE_NAME, subject=HOSTILE_SUBJECT)
    Ticket.objects.filter(pk=ticket.pk).update(sla_due=timezone.now() + timedelta(hours=5))
    subject = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#x27;q&#x27;"
    name = "&lt;b onmouseover=&#x27;x&#x27;&gt;Eve&lt;/b&gt;"
    for view in ("table", "list", "board"):
        page = client.get(INBOX, {"view": view}).content.decode()
        assert "<script>alert" not in page and "<b onmouseover" not in page, view
        assert subject in page and name in page, view
    table = client.get(INBOX).content.decode()
    assert f"<td>{subject}</td>" in table and f"<td>{name}</td>" in table
    url = reverse("support_desk:ticket", args=[ticket.pk])
    assert f'<a href="{url}">{ticket.number}</a>' in table
    assert f'value="{ticket.pk}" form="ws-bulk" aria-label="{ticket.number}"' in table


def test_the_excerpt_of_the_list_view_is_escaped(client, anna):
    ticket = new_ticket(email="eve@example.net", subject="Hello")
    reply = ticket.workflow.actions.get(slug="reply")
    perform(ticket, reply, anna, {"message": "Try <img src=x onerror=alert(1)> now"})
    page = client.get(INBOX, {"view": "list"}).content.decode()
    assert "<img src=x" not in page
    assert "Try &lt;img src=x onerror=alert(1)&gt; now" in page


@pytest.mark.parametrize("language", ["en", "pl", "ru"])
def test_dates_and_times_since_are_those_of_django_and_wagtail(language):
    with translation.override(language):
        page = Page()
        for age in AGES:
            value = timezone.now() - age
            page.now = timezone.now()
            expected = conditional_escape(capfirst(timesince_simple(value)))
            assert page.since_simply(value) == expected, (language, age)
            assert page.dates(value) == date_format(value, "DATETIME_FORMAT"), (language, age)
            assert page.since(value) == timesince(value, page.now)
            assert page.until(value) == timeuntil(value, page.now)


@pytest.mark.parametrize(
    "fmt",
    [
        "N j, Y, P",
        r"D jS \o\f F Y, H:i:s.u",  # escaped characters, seconds and microseconds
        "l, j E Y G:i e O T",  # the time zone's characters are written for every value
        r"\Y\e\s: H:i",  # text alone before the time
        "c",
    ],
)
def test_date_texts_split_a_format_as_django_reads_it(fmt):
    texts = DateTexts(fmt)
    start = timezone.now()
    for hours in range(0, 24 * 40, 7):
        value = start - timedelta(hours=hours, minutes=hours % 60, seconds=hours % 59)
        assert texts(value) == date_format(value, fmt), (fmt, value)


def test_date_texts_are_kept_per_language():
    value = timezone.now().replace(month=3, day=14)
    with translation.override("en"):
        english = DateTexts()(value)
    with translation.override("pl"):
        polish = DateTexts()(value)
        assert polish == date_format(value, "DATETIME_FORMAT")
    assert english != polish and "marca" in polish


def test_due_texts_are_those_the_agent_read_before(client, anna):
    late = new_ticket(email="a@example.net", subject="Late")
    soon = new_ticket(email="b@example.net", subject="Soon")
    now = timezone.now()
    Ticket.objects.filter(pk=late.pk).update(sla_due=now - timedelta(hours=3, minutes=30))
    Ticket.objects.filter(pk=soon.pk).update(sla_due=now + timedelta(hours=5, minutes=30))
    table = client.get(INBOX).content.decode()
    assert "overdue by 3\xa0hours, 30\xa0minutes</span>" in table
    assert "in 5\xa0hours, 29\xa0minutes</span>" in table


def test_escaping_is_conditional_escape():
    for value in (HOSTILE_SUBJECT, 42, None, conditional_escape("<i>kept</i>"), "«ünï»"):
        assert esc(value) == str(conditional_escape(value))


@pytest.mark.parametrize(
    ("ours", "django"),
    [
        (TextInput, forms.TextInput),
        (HiddenInput, forms.HiddenInput),
    ],
)
def test_inputs_written_in_python_are_djangos(ours, django):
    attrs = {"id": "id_q", "maxlength": 100, "required": True, "disabled": False, "title": 'a"b'}
    for value in (None, "", HOSTILE_SUBJECT, 7):
        assert ours().render("q", value, attrs) == django().render("q", value, attrs)


def test_the_yes_no_select_offers_djangos_options():
    def options(html):
        return [line.strip() for line in html.splitlines() if line.strip()]

    attrs = {"id": "id_breached"}
    for value in (None, True, False, "unknown"):
        ours = NullBooleanSelect().render("breached", value, attrs)
        assert options(ours) == options(forms.NullBooleanSelect().render("breached", value, attrs))
