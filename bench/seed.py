"""Seeds a benchmark desk shaped like a real one into its own PostgreSQL database:

    python bench/seed.py --tickets 100000            # database bench_100k
    python bench/seed.py --tickets 10000 --database bench_10k

5 sources, 20 agents in two groups, 2,000 customers (a few write often, most once), a year of
tickets, final states open 20 % / reopened 5 % / resolved 10 % / closed 60 % / waiting 5 %,
80 % assigned, three messages each (the customer's, an agent's answer, then a customer's reply or
in 30 % an internal note), with the history, stored mail, read marks, follows, numbers and SLA
projection the app itself writes (see ``lives.py`` and ``clone.py``). Deterministic for a seed.

The database is dropped and created anew. Agents log in as ``agent01``…``agent20``, password
``bench``.
"""

import argparse
import datetime as dt
import os
import random
import sys
import time
from pathlib import Path

REPO_DIR = Path(__file__).resolve().parents[1]
DEFAULT_SERVER = os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")
SOURCES = (("website", 40), ("email", 30), ("phone", 10), ("presales", 12), ("feedback", 8))
THIRD_NOTE_SHARE = 0.3
ASSIGNED_SHARE = 0.8
BATCH = 2000


def database_url(name):
    return f"{DEFAULT_SERVER}/{name}"


def recreate_database(name):
    import psycopg

    with psycopg.connect(database_url("postgres"), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def setup_django(name):
    sys.path.insert(0, str(REPO_DIR))
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.settings"
    os.environ["WAGTAIL_SUPPORT_TEST_DATABASE_URL"] = database_url(name)
    import django

    django.setup()


class Ids:
    """Primary keys handed out past what the table holds; sequences are moved on at the end."""

    def __init__(self, tables):
        from django.db import connection

        self.next = {}
        with connection.cursor() as cursor:
            for table in tables:
                cursor.execute(f'SELECT COALESCE(MAX(id), 0) FROM "{table}"')
                self.next[table] = cursor.fetchone()[0] + 1

    def take(self, table):
        value = self.next[table]
        self.next[table] = value + 1
        return value


def related_tables():
    """Every table with a foreign key to the ticket, in an order that keeps parents first."""
    from wagtail_support.models import Message, Ticket

    found = []
    for relation in Ticket._meta.related_objects:
        model = relation.related_model
        if relation.one_to_many or relation.one_to_one:
            found.append((model._meta.db_table, relation.field.column))
    found.sort(key=lambda item: item[0] != Message._meta.db_table)
    return found


def play_lives(agents, customers, sources=None):
    from bench import lives, vocabulary
    from bench.clone import capture
    from wagtail_support.models import Source

    tables = related_tables()
    prototypes = {}
    index = 0
    for slug, _share in SOURCES:
        if sources is not None and slug not in sources:
            continue
        source = Source.objects.get(slug=slug)
        for outcome, _weight in lives.OUTCOMES:
            if source.workflow.slug != "support" and outcome in ("reopened", "waiting", "resolved"):
                continue  # only the support workflow has these as separate states
            for third in ("customer", "note"):
                for assigned in (True, False):
                    index += 1
                    texts = vocabulary.markers(index)
                    agent, customer = agents[index % len(agents)], customers[index]
                    ticket, steps = lives.play(
                        source, outcome, third, assigned, agent, customer, texts
                    )
                    proto = capture(ticket, steps, agent, customer, texts, tables)
                    prototypes[(slug, outcome, third, assigned)] = proto
    return prototypes


def life_times(rng, created, step_count, now):
    """When each step of a copy's life happens: the answer within hours, the customer's reply
    within days, resolving and closing later, never after ``now``."""
    gaps = [
        dt.timedelta(minutes=rng.lognormvariate(5.0, 1.0)),  # first answer, median ~2.5 h
        dt.timedelta(minutes=rng.lognormvariate(6.5, 1.0)),  # third message, median ~11 h
        dt.timedelta(minutes=rng.lognormvariate(7.0, 1.0)),  # resolve or ask, median ~18 h
        dt.timedelta(days=7, minutes=rng.randrange(60)),  # closed (auto-close after 7 days)
    ]
    steps = [created]
    for i in range(1, step_count):
        steps.append(steps[-1] + gaps[min(i - 1, len(gaps) - 1)])
    overshoot = steps[-1] - (now - dt.timedelta(minutes=5))
    if overshoot > dt.timedelta(0):
        steps = [max(created, moment - overshoot) for moment in steps]
        steps = [steps[0]] + [
            max(steps[i], steps[i - 1] + dt.timedelta(seconds=1)) for i in range(1, len(steps))
        ]
    return steps


def choose(rng, weighted):
    items, weights = zip(*weighted, strict=True)
    return rng.choices(items, weights=weights)[0]


def plan_copies(rng, count, prototypes, now, sources=SOURCES):
    """(created, prototype key) for each ticket, oldest first: open tickets are recent, closed
    ones spread over the year."""
    from bench.lives import OUTCOMES

    plans = []
    for _ in range(count):
        source = choose(rng, sources)
        outcome = choose(rng, OUTCOMES)
        third = "note" if rng.random() < THIRD_NOTE_SHARE else "customer"
        assigned = rng.random() < ASSIGNED_SHARE
        key = (source, outcome, third, assigned)
        if key not in prototypes:
            key = (source, "open" if outcome != "closed" else "closed", third, assigned)
        days_ago = rng.uniform(0, 365) if outcome == "closed" else rng.expovariate(1 / 20)
        created = now - dt.timedelta(days=min(days_ago, 365), seconds=rng.randrange(86400))
        plans.append((created, key))
    plans.sort(key=lambda plan: plan[0])
    return plans


def policies():
    """The SLA policy of a copy, by the fields that choose it: one look-up per combination, the
    customers' groups read once for all of them."""
    from django.contrib.auth import get_user_model

    from wagtail_support.models import Ticket
    from wagtail_support.sla.policy import policy_for

    groups_of = {}
    memberships = get_user_model().groups.through.objects.values_list("user_id", "group_id")
    for user_id, group_id in memberships:
        groups_of.setdefault(user_id, set()).add(group_id)
    cache = {}

    def policy(row):
        groups = frozenset(groups_of.get(row["customer_id"], ()))
        key = (row["source_id"], row["priority"], row["service_id"], groups)
        if key not in cache:
            cache[key] = policy_for(
                Ticket(
                    source_id=row["source_id"],
                    priority=row["priority"],
                    customer_id=row["customer_id"],
                    service_id=row["service_id"],
                    category_id=row["category_id"],
                    workflow_id=row["workflow_id"],
                )
            )
        return cache[key]

    return policy


def copy_rows(batches):
    """COPY every table's rows of one batch, parents first, but messages before their tickets
    (the foreign keys are checked at commit): the ticket's insert trigger then builds its search
    document from them (migration 0022), where messages copied after it would rewrite every
    ticket row once more."""
    from django.db import connection

    raw = connection.connection
    in_order = sorted(batches.items(), key=lambda item: item[0] != "wagtail_support_message")
    with raw.cursor() as cursor:
        for table, rows in in_order:
            if not rows:
                continue
            columns = list(rows[0])
            names = ", ".join(f'"{c}"' for c in columns)
            with cursor.copy(f'COPY "{table}" ({names}) FROM STDIN') as copy:
                for row in rows:
                    copy.write_row([row[c] for c in columns])


def seed(count, seed_value=12, sources=None):
    """Seeds ``count`` tickets into the current database; ``sources`` (slugs) limits the desk to
    some sources, for a quick test."""
    from django.contrib.auth import get_user_model
    from django.db import connection, transaction
    from django.utils import timezone

    from bench import vocabulary
    from bench.clone import Cloner, Copy
    from bench.people import ensure_people, pick_customers
    from sandbox.demo.sla import ensure_service_levels
    from wagtail_support.mail import retention
    from wagtail_support.models import InboundEmail, Source, Ticket, TicketCounter

    rng = random.Random(seed_value)
    started = time.perf_counter()
    agents, customers = ensure_people(rng)
    ensure_service_levels()
    prototypes = play_lives(agents, customers, sources)
    print(f"played {len(prototypes)} ticket lives in {time.perf_counter() - started:.0f} s")
    # The prototypes themselves are not part of the desk; their stored mail goes with them.
    InboundEmail.objects.all().delete()
    Ticket.objects.all().delete()
    TicketCounter.objects.all().delete()

    now = timezone.now()
    tables = ["wagtail_support_ticket", *(table for table, _c in related_tables())]
    ids = Ids(tables)
    cloner = Cloner(ids, policies(), now, rng)
    prefixes = dict(Source.objects.values_list("slug", "number_prefix"))
    counters = dict.fromkeys(prefixes.values(), 0)
    chosen_customers = pick_customers(rng, customers, count)
    User = get_user_model()
    users = {user.pk: user for user in User.objects.filter(pk__in=[c.pk for c in customers])}
    shares = [(slug, share) for slug, share in SOURCES if sources is None or slug in sources]
    plans = plan_copies(rng, count, prototypes, now, shares)
    batches = {table: [] for table in tables}
    for index, (created, key) in enumerate(plans):
        proto = prototypes[key]
        prefix = prefixes[key[0]]
        counters[prefix] += 1
        customer = users[chosen_customers[index].pk]
        assigned_agent = agents[rng.randrange(len(agents))]
        copy = Copy(
            ticket_id=ids.take("wagtail_support_ticket"),
            number=f"{prefix}{counters[prefix]}",
            subject="",
            agent=assigned_agent,
            customer=customer,
            priority=choose(rng, ((10, 15), (20, 60), (30, 20), (40, 5))),
            texts=vocabulary.texts(rng, index),
            steps=life_times(rng, created, len(proto.steps), now),
        )
        copy.subject = copy.texts["subject"]
        for table, row in cloner.rows(proto, copy):
            batches[table].append(row)
        if (index + 1) % BATCH == 0 or index + 1 == count:
            with transaction.atomic():
                copy_rows(batches)
            batches = {table: [] for table in tables}
    # A year-old desk has had its mail bodies purged by the periodic job all along.
    retention.purge(now=now, batch=50_000)
    TicketCounter.objects.bulk_create(
        TicketCounter(prefix=prefix, last_value=value) for prefix, value in counters.items()
    )
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
                f'COALESCE((SELECT MAX(id) FROM "{table}"), 1))'
            )
        cursor.execute("ANALYZE")
    print(f"seeded {count} tickets in {time.perf_counter() - started:.0f} s")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tickets", type=int, default=100_000)
    parser.add_argument("--database", help="default: bench_10k or bench_100k by size")
    parser.add_argument("--seed", type=int, default=12)
    args = parser.parse_args(argv)
    name = args.database or f"bench_{args.tickets // 1000}k"
    recreate_database(name)
    setup_django(name)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    seed(args.tickets, args.seed)
    compact(name)
    return name


def compact(name):
    """Purged rows were written again at once here; on a live desk the space they free is reused
    by the next day's mail, so the tables are measured compacted, with the planner statistics
    autovacuum keeps on a live database. (Its own connection: VACUUM runs outside any
    transaction.)"""
    import psycopg
    from django.db import connections

    connections.close_all()  # an open snapshot would keep the purged rows' old versions
    with psycopg.connect(database_url(name), autocommit=True) as conn:
        conn.execute("VACUUM FULL wagtail_support_outboundemail, wagtail_support_inboundemail")
        conn.execute("VACUUM ANALYZE")


if __name__ == "__main__":
    main()
