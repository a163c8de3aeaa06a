"""Benchmarks of the desk on realistic data: `make bench` writes bench/results.json.

For each size (10,000 and 100,000 tickets; ``BENCH_SIZE=small`` for 10,000 only) it seeds the
desk (``seed.py``) into its own PostgreSQL database unless one seeded by the same code is there
already, measures it on a throw-away copy (``measure.py``, one process per size, so each runs
against its own database) and records the database's bytes per ticket.

PostgreSQL is reached at ``BENCH_POSTGRES`` (default postgres://postgres@127.0.0.1:5432) and the
broker that queued background work goes to at ``BENCH_BROKER`` (default Redis database 14).
Query counts are exact; timings are medians on this machine and vary with it.
"""

import hashlib
import json
import os
import subprocess
import sys
import time
from pathlib import Path

REPO_DIR = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_DIR))
OUT = REPO_DIR / "bench" / "results.json"
SIZES = {"10k": 10_000, "100k": 100_000}
BROKER = os.environ.get("BENCH_BROKER", "redis://127.0.0.1:6379/14")


def fingerprint():
    """Changes with anything that decides what the seeded rows look like: the app and the
    seeder. A seeded database carries it as its comment."""
    digest = hashlib.sha256()
    paths = sorted((REPO_DIR / "wagtail_support").rglob("*.py"))
    paths += sorted((REPO_DIR / "wagtail_support" / "templates").rglob("*"))
    paths += [
        REPO_DIR / "bench" / name
        for name in ("seed.py", "lives.py", "clone.py", "people.py", "vocabulary.py")
    ]
    for path in paths:
        if path.is_file():
            digest.update(path.relative_to(REPO_DIR).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def admin_connection():
    import psycopg

    from bench.seed import database_url

    return psycopg.connect(database_url("postgres"), autocommit=True)


def seeded_with(name):
    with admin_connection() as conn:
        row = conn.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
            [name],
        ).fetchone()
    return row[0] if row else None


def ensure_seeded(name, tickets, mark):
    if seeded_with(name) == mark:
        print(f"{name}: seeded by this code already")
        return
    started = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            str(REPO_DIR / "bench" / "seed.py"),
            "--tickets",
            str(tickets),
            "--database",
            name,
        ],
        check=True,
    )
    with admin_connection() as conn:
        conn.execute(f"COMMENT ON DATABASE \"{name}\" IS '{mark}'")
    print(f"{name}: seeded in {time.perf_counter() - started:.0f} s")


def storage(name, tickets):
    """Bytes per ticket of the whole database, and of each of the app's tables (with indexes
    and TOAST)."""
    with admin_connection() as conn:
        total = conn.execute("SELECT pg_database_size(%s)", [name]).fetchone()[0]
    import psycopg

    from bench.seed import database_url

    with psycopg.connect(database_url(name)) as conn:
        tables = conn.execute(
            "SELECT relname, pg_total_relation_size(relid) FROM pg_stat_user_tables "
            "WHERE relname LIKE 'wagtail_support_%%' ORDER BY 2 DESC LIMIT 8"
        ).fetchall()
    return round(total / tickets), {table: round(size / tickets) for table, size in tables}


def measure(name, label):
    run_copy = f"{name}_run"
    with admin_connection() as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{run_copy}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{run_copy}" TEMPLATE "{name}"')
    from bench.seed import database_url

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "WAGTAIL_SUPPORT_TEST_DATABASE_URL": database_url(run_copy),
        "WAGTAIL_SUPPORT_TEST_BROKER_URL": BROKER,
    }
    try:
        done = subprocess.run(
            [sys.executable, str(REPO_DIR / "bench" / "measure.py"), label],
            env=env,
            check=True,
            stdout=subprocess.PIPE,
            text=True,
        )
    finally:
        with admin_connection() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{run_copy}" WITH (FORCE)')
        purge_broker()
    return json.loads(done.stdout.strip().splitlines()[-1])


def purge_broker():
    """The measured posts left their queued work on the broker; nobody is meant to run it."""
    import redis

    redis.Redis.from_url(BROKER).flushdb()


def main():
    from bench.sla import sla_due_us

    sizes = ["10k"] if os.environ.get("BENCH_SIZE") == "small" else ["10k", "100k"]
    previous = json.loads(OUT.read_text()) if OUT.exists() else {}
    results = {**previous, "database": "postgresql", "sla_due_us": sla_due_us()}
    mark = fingerprint()
    for label in sizes:
        name = f"bench_{label}"
        ensure_seeded(name, SIZES[label], mark)
        results[f"db_bytes_per_ticket_{label}"], results[f"table_bytes_per_ticket_{label}"] = (
            storage(name, SIZES[label])
        )
        started = time.perf_counter()
        results.update(measure(name, label))
        print(f"{name}: measured in {time.perf_counter() - started:.0f} s")
    largest = sizes[-1]
    rate = results[f"inbound_emails_per_s_{largest}"]
    results["inbound_emails_per_s"] = rate
    results["inbound_emails_per_s_by_database"] = {
        **previous.get("inbound_emails_per_s_by_database", {}),
        "postgresql": rate,
    }
    OUT.write_text(json.dumps(results, indent=2) + "\n")
    print(json.dumps({k: v for k, v in results.items() if not isinstance(v, dict)}, indent=2))


if __name__ == "__main__":
    main()
