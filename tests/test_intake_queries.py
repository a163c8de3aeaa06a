"""How many queries a new request costs: a contact-form post, a new ticket by e-mail and a reply
by e-mail, each on a small and on a larger desk. The count is fixed: it must not grow with the
customer's history or with everybody else's tickets.

The background work a request schedules (confirmation, notifications) is queued, not run: it is
captured as after-commit callbacks and counted apart from the request itself.
"""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page, ReferenceIndex, Site

from tests.mail import raw_mail
from tests.testapp.models import StreamPage
from tests.utils import new_ticket
from wagtail_support.contact import spam
from wagtail_support.mail import inbound
from wagtail_support.models import InboundEmail, Ticket

pytestmark = pytest.mark.django_db

# The request itself, at most (Wagtail 7 reads its site in one query fewer than 8); the same on
# the desk's two sizes.
FORM_POST = 9
NEW_EMAIL = 11
EMAIL_REPLY = 12
SIZES = (3, 30)


@pytest.fixture(autouse=True)
def _no_wait(settings):
    settings.WAGTAIL_SUPPORT_SPAM_MIN_FILL_SECONDS = 0
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def contact_page():
    page = Page.get_first_root_node().add_child(
        instance=StreamPage(
            title="Contact",
            slug="contact",
            body=[("contact_form", {"source": "website", "heading": "Write to us"})],
        )
    )
    site = Site.objects.get(is_default_site=True)
    site.root_page = page
    site.save()
    return page


def grow_desk(count):
    """``count`` earlier requests of the customer who writes below and as many of others."""
    for number in range(count):
        new_ticket("website", email="ann@example.net", subject=f"Earlier {number}")
        new_ticket("email", email=f"other{number}@example.net", subject=f"Other {number}")


def queries_of(work, capture):
    """Queries of ``work()``, with what it schedules for after the commit captured, not run."""
    with capture(execute=False) as scheduled, CaptureQueriesContext(connection) as done:
        work()
    assert scheduled, "the background work is queued"
    return len(done)


def form_post(client, page, number):
    data = {
        "wagtail_support_form": "1:website",
        "name": "Ann Customer",
        "email": "ann@example.net",
        "subject": f"Parcel {number} lost",
        "description": "It never arrived.",
        "website": "",
        "started": spam.started_token(),
    }
    response = client.post(page.url, data, REMOTE_ADDR=f"10.0.0.{number}")
    assert response.status_code == 302


def test_a_form_post_costs_the_same_queries_on_a_small_and_a_larger_desk(
    client, contact_page, django_capture_on_commit_callbacks
):
    counts = []
    for number, size in enumerate(SIZES):
        grow_desk(size - Ticket.objects.filter(customer_email="ann@example.net").count())
        client.get(contact_page.url)  # the site and page lookups are warm, as on a live site
        counts.append(
            queries_of(
                lambda n=number: form_post(client, contact_page, n),
                django_capture_on_commit_callbacks,
            )
        )
    assert counts[0] == counts[1] <= FORM_POST, counts
    assert Ticket.objects.filter(subject__startswith="Parcel").count() == 2


def deliver_queued(raw):
    stored = inbound.store(raw, channel="command")
    return inbound.process(stored.pk)


def test_a_new_email_costs_the_same_queries_on_a_small_and_a_larger_desk(
    django_capture_on_commit_callbacks,
):
    counts, results = [], []
    for number, size in enumerate(SIZES):
        grow_desk(size - Ticket.objects.filter(customer_email="ann@example.net").count())
        raw = raw_mail(subject=f"Printer {number} on fire", message_id=f"<new-{number}@x.net>")
        counts.append(
            queries_of(
                lambda raw=raw: results.append(deliver_queued(raw)),
                django_capture_on_commit_callbacks,
            )
        )
    assert [result.status for result in results] == ["processed", "processed"]
    assert results[0].ticket_id != results[1].ticket_id
    assert counts[0] == counts[1] <= NEW_EMAIL, counts


def test_an_email_reply_costs_the_same_queries_on_a_small_and_a_larger_desk(
    django_capture_on_commit_callbacks,
):
    counts, results = [], []
    for number, size in enumerate(SIZES):
        grow_desk(size - Ticket.objects.filter(customer_email="ann@example.net").count())
        with django_capture_on_commit_callbacks(execute=False):
            first = deliver_queued(raw_mail(message_id=f"<first-{number}@x.net>"))
        reply = raw_mail(
            subject="Re: My printer is on fire",
            text="Still burning.\n",
            in_reply_to=f"<first-{number}@x.net>",
        )
        counts.append(
            queries_of(
                lambda reply=reply: results.append(deliver_queued(reply)),
                django_capture_on_commit_callbacks,
            )
        )
        assert results[-1].ticket_id == first.ticket_id
    assert [result.status for result in results] == ["processed", "processed"]
    assert counts[0] == counts[1] <= EMAIL_REPLY, counts


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_processing_commits_without_waiting_for_the_disk_and_only_its_own_transaction():
    """The raw copy's commit is durable; processing, which can be redone from it, does not wait
    for the flush. A caller's own transaction is left as it is."""

    def statements_of(work):
        with CaptureQueriesContext(connection) as done:
            work()
        return [query["sql"] for query in done]

    stored = inbound.store(raw_mail(message_id="<alone@x.net>"), channel="command")
    alone = statements_of(lambda: inbound.process(stored.pk))
    assert any("set_config('synchronous_commit', 'off', true)" in sql for sql in alone)
    assert InboundEmail.objects.get(pk=stored.pk).status == "processed"

    def inside_a_transaction():
        with transaction.atomic():
            nested = inbound.store(raw_mail(message_id="<nested@x.net>"), channel="command")
            assert inbound.process(nested.pk).status == "processed"

    assert not any("synchronous_commit" in sql for sql in statements_of(inside_a_transaction))


def test_stored_emails_write_no_reference_index_rows(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        result = deliver_queued(raw_mail())
    assert result.status == "processed"
    assert not ReferenceIndex.is_indexed(InboundEmail)
    assert not ReferenceIndex.objects.filter(
        base_content_type__model="inboundemail", base_content_type__app_label="wagtail_support"
    ).exists()


def test_the_kept_configuration_follows_changes_to_states_and_form_fields():
    from wagtail_support import intake_config
    from wagtail_support.contact.forms import ContactForm
    from wagtail_support.models import ContactFormField, Source, State

    website = Source.objects.get(slug="website")
    first = new_ticket(website, email="ann@example.net")
    assert intake_config.snapshot() is intake_config.snapshot()  # kept, not read again
    ContactFormField.objects.create(source=website, label="Order", key="order", field_type="text")
    assert "order" in ContactForm(website, None).fields
    State.objects.filter(pk=first.state_id).update(type="open")  # behind the cache's back …
    for state in State.objects.filter(workflow=website.workflow_id, slug="waiting"):
        state.type = "new"
        state.sort_order = -1
        state.save()  # … and through save(), which every edit in the admin uses
    assert new_ticket(website, email="ann@example.net").state.slug == "waiting"


@pytest.mark.parametrize(
    "posted, blocked",
    [
        ("ann@example.net", None),
        ("  Ann@Example.NET ", "ann@example.net"),
        ("ann@example.net", "@EXAMPLE.net".lower()),
    ],
)
def test_a_form_post_reads_its_source_and_the_blocklist_in_one_statement(
    client, contact_page, posted, blocked
):
    """The blocklist is asked with the source, for the address as posted: whatever the case or
    spaces, a blocked address (or domain) is refused as before, and no second look-up is made."""
    from wagtail_support.models import BlockedSender

    if blocked:
        BlockedSender.objects.create(pattern=blocked)
    client.get(contact_page.url)
    data = {
        "wagtail_support_form": "1:website",
        "name": "Ann Customer",
        "email": posted,
        "subject": "Parcel lost",
        "description": "It never arrived.",
        "website": "",
        "started": spam.started_token(),
    }
    with CaptureQueriesContext(connection) as done:
        response = client.post(contact_page.url, data)
    blocklist_reads = [q["sql"] for q in done if "blockedsender" in q["sql"]]
    assert len(blocklist_reads) == 1 and "wagtail_support_source" in blocklist_reads[0]
    if blocked:
        assert response.status_code == 200
        assert "We could not accept this request" in response.content.decode()
        assert not Ticket.objects.filter(subject="Parcel lost").exists()
    else:
        assert response.status_code == 302
        assert Ticket.objects.get(subject="Parcel lost").customer_email == "ann@example.net"


def test_a_signed_in_customer_is_checked_by_their_account_address(client, contact_page):
    from django.contrib.auth import get_user_model

    from wagtail_support.models import BlockedSender

    user = get_user_model().objects.create_user("ann", "Ann@Example.net", "x")
    client.force_login(user)
    BlockedSender.objects.create(pattern="ann@example.net")
    data = {
        "wagtail_support_form": "1:website",
        "email": "someone.else@example.org",  # not a field for a signed-in customer: ignored
        "subject": "Parcel lost",
        "description": "It never arrived.",
        "website": "",
        "started": spam.started_token(),
    }
    response = client.post(contact_page.url, data)
    assert "We could not accept this request" in response.content.decode()
    assert not Ticket.objects.filter(subject="Parcel lost").exists()
