"""Benchmarks of the agent's desk and of incoming e-mail: `make bench` writes bench/results.json.

`inbound_emails_per_s` is this run's database; `inbound_emails_per_s_by_database` keeps the last
figure of each database, so a SQLite run and a PostgreSQL run (in either order, BENCH_ONLY=inbound
for just that part) fill in both.

Runs against a throw-away test database: SQLite in memory, or PostgreSQL when
WAGTAIL_SUPPORT_TEST_DATABASE_URL is set (as for the tests). Query counts are exact; timings are
the median of repeated requests on this machine and vary with it.
"""

import json
import os
import statistics
import sys
import time
from pathlib import Path

REPO_DIR = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth.models import Permission  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import (  # noqa: E402
    CaptureQueriesContext,
    setup_databases,
    setup_test_environment,
    teardown_databases,
)
from django.urls import reverse  # noqa: E402

REPEAT = int(os.environ.get("BENCH_REPEAT", "15"))
# BENCH_ONLY=inbound measures only the e-mail pipeline and keeps the other results in the file.
ONLY = os.environ.get("BENCH_ONLY", "")
INBOUND_COUNT = int(os.environ.get("BENCH_INBOUND_COUNT", "300"))


def seed_tickets(count, customer):
    """Adds tickets (with one message each) until there are ``count``; bulk, not through intake:
    this measures reading, not writing."""
    from wagtail_support.models import Message, Source, Ticket

    source = Source.objects.get(slug="website")
    state = source.workflow.initial_state()
    have = Ticket.objects.count()
    batch = 5000
    while have < count:
        size = min(batch, count - have)
        tickets = Ticket.objects.bulk_create(
            Ticket(
                number=f"BENCH-{have + i}",
                source=source,
                workflow_id=source.workflow_id,
                state=state,
                subject=f"Benchmark request {have + i}",
                customer=customer,
                customer_email=customer.email,
                priority=(10, 20, 30, 40)[(have + i) % 4],
            )
            for i in range(size)
        )
        Message.objects.bulk_create(
            Message(ticket=t, kind="reply", from_customer=True, channel="web", text="Hello " * 20)
            for t in tickets
        )
        have += size
    with connection.cursor() as cursor:
        # A live database has planner statistics (autovacuum keeps them); so does the bench.
        cursor.execute("ANALYZE")


def inbound_per_second(count):
    """E-mails through the whole inbound pipeline (store raw, parse, filter, thread, post) per
    second: two in three start a ticket, one in three answers an earlier one by In-Reply-To."""

    from tests.mail import raw_mail
    from wagtail_support.mail import inbound
    from wagtail_support.signals import ticket_changed

    # Measure receiving (parse, thread, store), not the notifications that follow it.
    ticket_changed.disconnect(dispatch_uid="wagtail_support_mail")
    mails = []
    for i in range(count):
        if i % 3 == 2:
            mails.append(raw_mail(in_reply_to=f"<bench-{i - 1}@example.net>", text="Thanks!\n"))
        else:
            mails.append(
                raw_mail(
                    sender=f"Customer {i} <c{i}@example.net>",
                    subject=f"Request {i}",
                    message_id=f"<bench-{i}@example.net>",
                    text="Hello,\n\nmy order did not arrive.\n\n-- \nCustomer\n" * 3,
                )
            )
    start = time.perf_counter()
    for raw in mails:
        stored = inbound.store(raw, channel="command")
        assert inbound.process(stored.pk).status == "processed"
    return round(count / (time.perf_counter() - start), 1)


def queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, response.status_code
    return len(captured)


def median_ms(client, url):
    client.get(url)
    samples = []
    for _ in range(REPEAT):
        start = time.perf_counter()
        response = client.get(url)
        samples.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200
    return round(statistics.median(samples), 1)


def main():
    from tests.utils import make_agent, make_user

    setup_test_environment()
    old_config = setup_databases(verbosity=0, interactive=False)
    try:
        agent = make_agent("bench-agent")
        agent.user_permissions.add(Permission.objects.get(codename="access_admin"))
        customer = make_user("bench-customer")
        client = Client()
        client.force_login(agent)
        inbox = reverse("support_desk:inbox")
        out = REPO_DIR / "bench" / "results.json"
        previous = json.loads(out.read_text()) if out.exists() else {}
        rate = inbound_per_second(INBOUND_COUNT)
        by_database = {**previous.get("inbound_emails_per_s_by_database", {})}
        by_database[connection.vendor] = rate
        if ONLY == "inbound":
            results = {**previous, "inbound_emails_per_s_by_database": by_database}
            if previous.get("database", connection.vendor) == connection.vendor:
                results["inbound_emails_per_s"] = rate
        else:
            results = {
                "database": connection.vendor,
                "inbound_emails_per_s": rate,
                "inbound_emails_per_s_by_database": by_database,
            }
            from bench.sla import sla_due_us

            results["sla_due_us"] = sla_due_us()
            desk(results, client, agent, customer, inbox)
    finally:
        teardown_databases(old_config, verbosity=0)
    write(results)


def desk(results, client, agent, customer, inbox):
    from django.conf import settings

    from wagtail_support.models import Ticket
    from wagtail_support.workflows.engine import perform

    seed_tickets(200, customer)
    for rows in (25, 100):
        settings.WAGTAIL_SUPPORT_PAGE_SIZE = rows
        queries(client, inbox)
        results[f"inbox_queries_{rows}"] = queries(client, inbox)
    settings.WAGTAIL_SUPPORT_PAGE_SIZE = 25

    ticket = Ticket.objects.first()
    note = ticket.workflow.actions.get(slug="note")
    for i in range(200):
        perform(ticket, note, agent, {"message": f"note {i}"})
    page = reverse("support_desk:ticket", args=[ticket.pk])
    queries(client, page)
    results["ticket_page_queries_200_messages"] = queries(client, page)
    results["ticket_page_ms_p50_200_messages"] = median_ms(client, page)

    for size, label in ((10_000, "10k"), (100_000, "100k")):
        seed_tickets(size, customer)
        results[f"inbox_ms_p50_{label}"] = median_ms(client, inbox)


def write(results):
    out = REPO_DIR / "bench" / "results.json"
    out.write_text(json.dumps(results, indent=2) + "\n")
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
