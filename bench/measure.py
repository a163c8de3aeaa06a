"""Measures one seeded desk (``seed.py``) as its people use it; run by ``run.py`` in a process of
its own per database, on a throw-away copy, and prints the figures as JSON.

Agents are ``agent01`` (first line, ordinary rights, not a superuser); the customer pages are
measured for the desk's busiest customer and a typical one. Query counts are exact; timings are
medians of repeated requests after a warm-up.
"""

import itertools
import json
import os
import re
import statistics
import sys
import time
from pathlib import Path

REPEAT = int(os.environ.get("BENCH_REPEAT", "15"))
VARIANT_REPEAT = int(os.environ.get("BENCH_VARIANT_REPEAT", "7"))
INBOUND_COUNT = int(os.environ.get("BENCH_INBOUND_COUNT", "300"))


def timed(call, repeat=REPEAT):
    """Median milliseconds of ``call()`` after one warm-up, and the queries of one call."""
    with queries() as captured:
        call()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        call()
        samples.append((time.perf_counter() - start) * 1000)
    return round(statistics.median(samples), 1), len(captured)


class queries:
    """Counts the statements run while it is open, at the database wrapper: unlike the queries
    log, which every request empties when it starts, it misses nothing."""

    def __enter__(self):
        from django.db import connection

        self.count = 0
        self._wrapper = connection.execute_wrapper(self)
        self._wrapper.__enter__()
        return self

    def __exit__(self, *exc):
        return self._wrapper.__exit__(*exc)

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)

    def __len__(self):
        return self.count


def getter(client, url):
    def call():
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        return response

    return call


def inbox_urls(agent):
    """Every built-in list, each filter, each sort and the three views of the inbox."""
    from datetime import date, timedelta

    from wagtail_support.admin.inbox import VIEW_MODES, InboxView
    from wagtail_support.lists import BUILT_IN_LISTS
    from wagtail_support.models import Category, Service, ServiceLevel, Source, State

    today = date.today()
    month_ago = today - timedelta(days=30)
    open_states = State.objects.filter(type__in=("new", "open")).values_list("pk", flat=True)[:2]
    group = agent.groups.first()
    filters = {
        "state": "&".join(f"state={pk}" for pk in open_states),
        "source": f"source={Source.objects.get(slug='email').pk}",
        "assignee": f"assignee={agent.pk}",
        "group": f"assigned_group={group.pk}",
        "category": f"category={Category.objects.first().pk}",
        "priority": "priority=30&priority=40",
        "complexity": "complexity=2",
        "kind": "kind=incident",
        "updated": f"last_activity_at_after={month_ago}&last_activity_at_before={today}",
        "created": f"created_at_after={month_ago}&created_at_before={today}",
        "customer": "customer=customer004",
        "service": f"service={Service.objects.first().pk}",
        "service_level": f"service_level={ServiceLevel.objects.first().pk}",
        "breached": "breached=true",
        "field": "field=resolution&field_value=Fixed",
    }
    urls = {f"list:{key}": f"list={key}" for key in BUILT_IN_LISTS}
    urls.update({f"filter:{key}": query for key, query in filters.items()})
    urls.update({f"sort:{key}": f"ordering={key}" for key in sorted(InboxView.columns_orderings())})
    urls.update({f"view:{key}": f"view={key}" for key in VIEW_MODES})
    return urls


def measure_inbox(client, agent, results, label):
    from django.conf import settings
    from django.urls import reverse

    inbox = reverse("support_desk:inbox")
    by_url, queries = {}, {}
    for rows in (25, 100):
        settings.WAGTAIL_SUPPORT_PAGE_SIZE = rows
        for key, query in inbox_urls(agent).items():
            ms, count = timed(getter(client, f"{inbox}?{query}"), VARIANT_REPEAT)
            by_url[f"{key}:{rows}"], queries[f"{key}:{rows}"] = ms, count
        results[f"inbox_queries_{rows}"] = queries[f"list:all:{rows}"]
    settings.WAGTAIL_SUPPORT_PAGE_SIZE = 25
    results[f"inbox_ms_p50_{label}"] = by_url["list:all:25"]
    results[f"inbox_ms_p50_max_{label}"] = max(by_url.values())
    results[f"inbox_slowest_{label}"] = max(by_url, key=by_url.get)
    results[f"inbox_queries_max_{label}"] = max(queries.values())
    results[f"inbox_ms_p50_by_url_{label}"] = by_url
    searches = {}
    for text in ("printer", "customer0042", "courier", "did not arrive", "WEB-1234"):
        searches[text], _count = timed(getter(client, f"{inbox}?q={text}"), VARIANT_REPEAT)
    results[f"inbox_search_ms_p50_{label}"] = max(searches.values())
    results[f"inbox_search_ms_p50_by_text_{label}"] = searches


def measure_ticket_pages(client, agent, results, label):
    from django.db.models import Count
    from django.urls import reverse

    from wagtail_support import access
    from wagtail_support.similar import similar_tickets

    tickets = list(
        access.visible_tickets(agent)
        .annotate(n=Count("messages"))
        .filter(n=3)
        .order_by("-created_at")[:7]
    )
    urls = [reverse("support_desk:ticket", args=[t.pk]) for t in tickets]
    turn = iter(range(10**9))

    def page():
        return getter(client, urls[next(turn) % len(urls)])()

    page()  # loads what the process keeps (workflow actions), as a running site has it
    results[f"ticket_page_ms_p50_{label}"], results[f"ticket_page_queries_{label}"] = timed(page)
    by_shape = {}
    for shape, sample in similar_samples(agent, tickets).items():
        turn = itertools.cycle(sample)
        by_shape[shape], _q = timed(lambda turn=turn: similar_tickets(next(turn), agent))
    results[f"similar_ms_p50_{label}"] = max(by_shape.values())
    results[f"similar_ms_p50_by_shape_{label}"] = by_shape
    long_one = long_ticket(next(t for t in tickets if t.customer_id), agent)
    url = reverse("support_desk:ticket", args=[long_one.pk])
    ms, count = timed(getter(client, url))
    results[f"ticket_page_ms_p50_200_messages_{label}"] = ms
    results["ticket_page_ms_p50_200_messages"] = ms
    results["ticket_page_queries_200_messages"] = count


def similar_samples(agent, newest):
    """The same tickets every run for each shape of subject on the desk (the newest 7 of each),
    with the pages' own tickets: a shape's similar tickets may cost far more than another's."""
    from django.db.models import Q

    from wagtail_support import access

    shapes = {
        # The seeder's subjects, "My printer is too slow", a third with "(order 63315)".
        "plain": ~Q(subject__regex=r"[0-9]"),
        "numbered": Q(subject__regex=r"[0-9]"),
        "reply": Q(subject__iregex=r"^(re|fwd?|aw):"),
    }
    samples = {"pages": newest}
    visible = access.visible_tickets(agent).filter(is_spam=False).order_by("-created_at", "-pk")
    for shape, condition in shapes.items():
        sample = list(visible.filter(condition)[:7])
        if sample:
            samples[shape] = sample
    return samples


def long_ticket(ticket, agent):
    """The same ticket grown to 200 messages: the customer and the agent answering in turn."""
    from tests.utils import perform_action
    from wagtail_support import intake

    customer = ticket.customer
    for i in range(ticket.messages.count(), 200):
        if i % 2:
            intake.receive(
                ticket.source, customer=customer, ticket=ticket, text=f"Still broken {i}"
            )
        else:
            ticket = perform_action(ticket, "note", agent, {"message": f"Checked again {i}"})
    return ticket


def measure_customer_pages(results, label):
    from django.contrib.auth import get_user_model
    from django.db.models import Count
    from django.test import Client
    from django.urls import reverse

    customers = (
        get_user_model()
        .objects.filter(username__startswith="customer")
        .annotate(n=Count("support_tickets"))
        .filter(n__gt=0)
        .order_by("-n")
    )
    busiest, typical = customers[0], customers[len(customers) // 2]
    medians, queries = {}, {}
    for who, customer in (("busiest", busiest), ("typical", typical)):
        client = Client()
        client.force_login(customer)
        number = customer.support_tickets.order_by("-created_at").values_list("number")[0][0]
        pages = {
            "list": reverse("wagtail_support_portal:list"),
            "request": reverse("wagtail_support_portal:detail", args=[number]),
            "new": reverse("wagtail_support_portal:new"),
        }
        for key, url in pages.items():
            medians[f"{who}:{key}"], queries[f"{who}:{key}"] = timed(getter(client, url))
    results[f"customer_page_ms_p50_max_{label}"] = max(medians.values())
    results[f"customer_page_queries_max_{label}"] = max(queries.values())
    results[f"customer_page_ms_p50_by_page_{label}"] = medians
    results[f"busiest_customer_tickets_{label}"] = busiest.n


def measure_form(results, label):
    """Contact-form posts as a guest: the request itself, its background work queued to the
    broker as in production; then that queued work run here, timed on its own."""
    from django.test import Client

    from wagtail_support import jobs
    from wagtail_support.contact import spam

    page = contact_page()
    client = Client()
    html = client.get(page.url).content.decode()
    form_id = re.search(r'name="wagtail_support_form" value="([^"]+)"', html).group(1)
    queued = []
    real_run = jobs.run

    def recording_run(task, *args, **kwargs):
        queued.append((task, args, kwargs))
        return real_run(task, *args, **kwargs)

    jobs.run = recording_run
    counter = iter(range(10**9))

    def post():
        n = next(counter)
        data = {
            "wagtail_support_form": form_id,
            "name": f"Guest {n}",
            "email": f"guest{n}@visitors.example",
            "subject": f"My router keeps disconnecting {n}",
            "description": "Since the update the router drops the connection every hour.",
            "website": "",
            "started": spam.started_token(),
        }
        response = client.post(page.url, data)
        assert response.status_code in (200, 302), response.status_code
        assert b"errorlist" not in response.content, "the form refused the post"

    try:
        ms, _count = timed(post)
        with queries() as captured:
            post()
        results[f"form_submit_ms_p50_{label}"] = ms
        results["form_submit_queries"] = len(captured)
        work = queued[-3:]  # what the last post queued
        samples = []
        for task, args, kwargs in queued[:REPEAT]:
            start = time.perf_counter()
            task.apply(args=args, kwargs=kwargs, throw=True)
            samples.append((time.perf_counter() - start) * 1000)
        results[f"form_background_ms_p50_{label}"] = round(statistics.median(samples), 1)
        results["form_background_tasks"] = sorted({task.name for task, _a, _k in work})
    finally:
        jobs.run = real_run


def contact_page():
    from sandbox.demo.pages import ensure_home_page
    from sandbox.demo.support import ensure_support_section

    return ensure_support_section(ensure_home_page())


def measure_email(results, label):
    from tests.mail import raw_mail
    from wagtail_support.mail import inbound

    counter = iter(range(10**9))
    last_new = []

    def deliver(raw):
        stored = inbound.process(inbound.store(raw, channel="webhook").pk)
        assert stored.status == "processed", (stored.status, stored.reason)

    def new_mail():
        n = next(counter)
        message_id = f"<bench-new-{label}-{n}@visitors.example>"
        raw = raw_mail(
            sender=f"Visitor {n} <visitor{n}@visitors.example>",
            subject=f"Invoice {n} shows the wrong address",
            message_id=message_id,
            text="Hello,\n\nthe invoice has my old address.\n\n-- \nVisitor\n",
        )
        deliver(raw)
        last_new.append((n, message_id))

    def reply_mail():
        n, message_id = last_new.pop()
        raw = raw_mail(
            sender=f"Visitor {n} <visitor{n}@visitors.example>",
            subject=f"Re: Invoice {n} shows the wrong address",
            in_reply_to=message_id,
            text="And the postcode is wrong too.\n",
        )
        deliver(raw)

    results[f"email_new_ms_p50_{label}"], _q = timed(new_mail)
    with queries() as captured:
        new_mail()
    results["email_new_queries"] = len(captured)
    results[f"email_reply_ms_p50_{label}"], _q = timed(reply_mail)
    with queries() as captured:
        reply_mail()
    results["email_reply_queries"] = len(captured)
    mails = []
    for i in range(INBOUND_COUNT):
        if i % 3 == 2:
            mails.append(
                raw_mail(in_reply_to=f"<bench-rate-{label}-{i - 1}@example.net>", text="Thanks!\n")
            )
        else:
            mails.append(
                raw_mail(
                    sender=f"Customer {i} <rate{i}@example.net>",
                    subject=f"Request {i}",
                    message_id=f"<bench-rate-{label}-{i}@example.net>",
                    text="Hello,\n\nmy order did not arrive.\n\n-- \nCustomer\n" * 3,
                )
            )
    start = time.perf_counter()
    for raw in mails:
        deliver(raw)
    rate = round(INBOUND_COUNT / (time.perf_counter() - start), 1)
    results[f"inbound_emails_per_s_{label}"] = rate


def main(label):
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()
    settings.WAGTAIL_SUPPORT_USE_CELERY = True  # background work is queued, as in production
    settings.WAGTAIL_SUPPORT_SPAM_MIN_FILL_SECONDS = 0
    settings.WAGTAIL_SUPPORT_SPAM_RATE_LIMIT_PER_IP = 10**6
    settings.WAGTAIL_SUPPORT_SPAM_RATE_LIMIT_PER_EMAIL = 10**6
    agent = get_user_model().objects.get(username="agent01")
    client = Client()
    client.force_login(agent)
    parts = {
        "inbox": lambda results: measure_inbox(client, agent, results, label),
        "ticket": lambda results: measure_ticket_pages(client, agent, results, label),
        "customer": lambda results: measure_customer_pages(results, label),
        "form": lambda results: measure_form(results, label),
        "email": lambda results: measure_email(results, label),
    }
    # BENCH_ONLY=inbox,ticket measures a part while working on it; `make bench` measures all.
    only = [name for name in os.environ.get("BENCH_ONLY", "").split(",") if name]
    results = {}
    for name in only or parts:
        parts[name](results)
    return results


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
    print(json.dumps(main(sys.argv[1])))
