"""`make loadtest`: the sandbox under mixed load, then the same load with the Celery worker
killed mid-run and restarted. Writes the figures into bench/results.json and exits non-zero on
any 5xx, any accepted post or e-mail that is not in the database, and any mail not sent exactly
once.

Everything runs on loopback: gunicorn (2 workers) and a Celery worker (prefork) on this
machine's PostgreSQL and Redis, and Locust headless in its own process. Every process started
here is stopped here, by its PID, also when the run fails or is interrupted.

Environment: LOADTEST_SECONDS (60) per run, LOADTEST_USERS (20) simulated users,
LOADTEST_DATABASE_URL (postgres://postgres@127.0.0.1:5432/load_test, dropped and made again),
LOADTEST_BROKER_URL (redis://127.0.0.1:6379/13, flushed), LOADTEST_TICKETS (300) seeded.
"""

import contextlib
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

REPO_DIR = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(REPO_DIR))

SECONDS = int(os.environ.get("LOADTEST_SECONDS", "60"))
USERS = int(os.environ.get("LOADTEST_USERS", "20"))
TICKETS = int(os.environ.get("LOADTEST_TICKETS", "300"))
DATABASE_URL = os.environ.get(
    "LOADTEST_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/load_test"
)
BROKER_URL = os.environ.get("LOADTEST_BROKER_URL", "redis://127.0.0.1:6379/13")
DRAIN_SECONDS = int(os.environ.get("LOADTEST_DRAIN_SECONDS", "90"))
RESTART_AFTER = float(os.environ.get("LOADTEST_RESTART_AFTER", "4"))
WEBHOOK_SECRET = "loadtest:hook-secret"
KINDS = (
    "contact_page",
    "form_submit",
    "my_requests",
    "request_page",
    "inbox",
    "ticket_page",
    "email_webhook",
    "login",
)


def log(text):
    print(f"[loadtest {time.strftime('%H:%M:%S', time.gmtime())} UTC] {text}", flush=True)


class Processes:
    """The processes this run started, each stopped by its PID."""

    def __init__(self, workdir):
        self.workdir = workdir
        self.running = {}

    def start(self, name, command):
        with open(self.workdir / f"{name}.log", "ab") as output:
            process = subprocess.Popen(
                command,
                cwd=REPO_DIR,
                env=os.environ.copy(),
                stdout=output,
                stderr=subprocess.STDOUT,
                preexec_fn=die_with_parent,
            )
        self.running[name] = process
        return process

    def kill(self, name):
        """SIGKILL to the process and to each of its children, as a lost machine or an OOM kill
        would end them: nothing is finished, acknowledged or rolled back by the worker itself."""
        process = self.running.pop(name)
        pids = [process.pid, *children(process.pid)]
        for pid in pids:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        process.wait()
        return pids

    def stop(self, name):
        process = self.running.pop(name, None)
        if process is None:
            return
        orphans = children(process.pid)
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        for pid in orphans:  # a pool child its parent did not take down
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)

    def stop_all(self):
        for name in list(self.running):
            self.stop(name)

    def tail(self, name, lines=40):
        path = self.workdir / f"{name}.log"
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])


def die_with_parent():
    """In the child before exec (Linux): SIGKILL it if this script ends without stopping it,
    even when the script itself is killed with SIGKILL."""
    import ctypes

    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


def children(pid):
    try:
        found = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return []
    return [int(child) for child in found]


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def recreate_database():
    import psycopg

    name = DATABASE_URL.rsplit("/", 1)[1]
    with psycopg.connect(DATABASE_URL.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def broker():
    import redis

    return redis.Redis.from_url(BROKER_URL)


def prepare_data():
    """Fills the empty, migrated database and returns what the load generator needs to know.
    The one place that decides the data: a bigger desk (bench/seed.py) plugs in here."""
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.urls import reverse
    from wagtail.models import Page

    from wagtail_support.access import visible_tickets
    from wagtail_support.models import Message, Source, Ticket

    with open(os.devnull, "w") as quiet:
        call_command("load_demo_data", quiet_logins=True, stdout=quiet)
    User = get_user_model()
    customers = list(User.objects.filter(username__in=("carol", "dmitri")))
    source = Source.objects.get(slug="website")
    state = source.workflow.initial_state()
    tickets = Ticket.objects.bulk_create(
        Ticket(
            number=f"LOAD-{i}",
            source=source,
            workflow_id=source.workflow_id,
            state=state,
            subject=f"Seeded request {i}",
            customer=customers[i % len(customers)],
            customer_email=customers[i % len(customers)].email,
            priority=(10, 20, 30, 40)[i % 4],
        )
        for i in range(TICKETS)
    )
    Message.objects.bulk_create(
        Message(ticket=t, kind="reply", from_customer=True, channel="web", text="Hello " * 20)
        for t in tickets
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")

    from sandbox.demo.people import USERS as DEMO_USERS

    passwords = {spec.username: spec.password for spec in DEMO_USERS}
    placeholder = 987654321
    fixtures = {
        "contact_path": Page.objects.get(slug="support").url,
        "customer_login": reverse("login"),
        "agent_login": reverse("wagtailadmin_login"),
        "my_requests": reverse("wagtail_support_portal:list"),
        "inbox": reverse("support_desk:inbox"),
        "ticket": reverse("support_desk:ticket", args=[placeholder]).replace(
            str(placeholder), "{}"
        ),
        "webhook": "/anymail/sendgrid/inbound/",
        "webhook_secret": WEBHOOK_SECRET,
        "support_address": "support@example.com",
        "customers": [],
        "agents": [],
    }
    for user in customers:
        numbers = visible_tickets(user, as_customer=True).values_list("number", flat=True)
        fixtures["customers"].append(
            {"username": user.username, "password": passwords[user.username],
             "numbers": list(numbers[:50])}
        )  # fmt: skip
    for user in User.objects.filter(username__in=("anna", "boris")):
        ids = list(visible_tickets(user).order_by("-pk").values_list("pk", flat=True)[:50])
        if ids:
            fixtures["agents"].append(
                {"username": user.username, "password": passwords[user.username], "tickets": ids}
            )
    return fixtures


def wait_for_site(url, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(f"gunicorn did not answer {url} within {timeout} s")


def wait_for_worker(timeout=60):
    from sandbox.celery import app

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if app.control.ping(timeout=1.0):
            return
    raise RuntimeError(f"the Celery worker did not answer within {timeout} s")


def start_worker(processes):
    processes.start(
        "worker",
        [
            sys.executable, "-m", "celery", "-A", "sandbox", "worker",
            "--pool=prefork", "--concurrency=2",
            "--without-gossip", "--without-mingle", "--without-heartbeat", "-l", "warning",
        ],
    )  # fmt: skip
    wait_for_worker()


def load(processes, workdir, name, host, kill_worker):
    """One Locust run of SECONDS; with ``kill_worker`` the worker is killed at 40 % of it and
    started again RESTART_AFTER seconds later. Returns what the load generator saw."""
    accepted_file = workdir / f"{name}-accepted.json"
    os.environ.update({"LOADTEST_ACCEPTED_FILE": str(accepted_file), "LOADTEST_RUN": name})
    locust = processes.start(
        f"locust-{name}",
        [
            sys.executable, "-m", "locust", "-f", str(HERE / "locustfile.py"), "--headless",
            "--users", str(USERS), "--spawn-rate", str(USERS), "--run-time", f"{SECONDS}s",
            "--stop-timeout", "10", "--host", host, "--only-summary", "--loglevel", "WARNING",
        ],
    )  # fmt: skip
    if kill_worker:
        time.sleep(SECONDS * 0.4)
        # Killed with work in hand: up to a few seconds more for the worker to hold a message.
        deadline = time.monotonic() + 5
        while not broker().hlen("unacked") and time.monotonic() < deadline:
            time.sleep(0.05)
        in_hand = broker().hlen("unacked")
        killed = processes.kill("worker")
        log(f"killed the worker holding {in_hand} messages: SIGKILL to PIDs {killed}")
        time.sleep(RESTART_AFTER)
        start_worker(processes)
        log("worker restarted")
    try:
        locust.wait(timeout=SECONDS + 60)
    except subprocess.TimeoutExpired as error:
        raise RuntimeError("Locust did not end in time") from error
    processes.running.pop(f"locust-{name}", None)
    if not accepted_file.exists():
        raise RuntimeError("Locust wrote no results:\n" + processes.tail(f"locust-{name}"))
    return json.loads(accepted_file.read_text())


def waiting_work():
    """Work not finished yet: broker messages queued or handed out, mail not processed or sent,
    changes whose notifications are not planned."""
    from wagtail_support.mail import pending
    from wagtail_support.models import InboundEmail, OutboundEmail
    from wagtail_support.models.inbound import InboundStatus
    from wagtail_support.models.mail import OutboundStatus

    client = broker()
    queued = sum(client.llen(key) for key in client.keys("celery*") if client.type(key) == b"list")
    return {
        "broker_queued": queued,
        "broker_unacked": client.hlen("unacked"),
        "inbound_waiting": InboundEmail.objects.filter(status=InboundStatus.RECEIVED).count(),
        "outbound_waiting": OutboundEmail.objects.filter(
            status__in=(OutboundStatus.QUEUED, OutboundStatus.FAILED)
        ).count(),
        "notifications_unplanned": pending.unplanned(0).count(),
    }


def drain():
    """Waits (at most DRAIN_SECONDS) until nothing is left to do. When the broker holds nothing
    but mail still waits, the work was lost with the worker: the periodic recovery jobs run then,
    as celery beat runs them in production (there with a delay of minutes)."""
    from wagtail_support import tasks
    from wagtail_support.mail.outbound import resend_stale

    deadline = time.monotonic() + DRAIN_SECONDS
    recoveries = 0
    while True:
        left = waiting_work()
        if not any(left.values()):
            return recoveries
        if time.monotonic() > deadline:
            raise RuntimeError(f"the system did not drain in {DRAIN_SECONDS} s: {left}")
        if not left["broker_queued"] and not left["broker_unacked"]:
            recoveries += 1
            log(f"recovery: plan notifications, resend stale mail, requeue stored mail ({left})")
            tasks.notify_pending(older_than_seconds=0)
            resend_stale(minutes=0)
            tasks.requeue_inbound(older_than_seconds=0)
        time.sleep(2)


def reconcile(accepted, started_at, sends_before, mail_dir):
    """Accepted vs stored, and queued mail vs sends, for mail queued since ``started_at``."""
    from django.db.models import Exists, OuterRef

    from wagtail_support.models import Message, OutboundEmail, Ticket
    from wagtail_support.models.mail import OutboundStatus

    from .mailbox import count_sends, file_stem

    subjects = {f"Question {mark}": mark for mark in accepted["form"]}
    found = set(Ticket.objects.filter(subject__in=subjects).values_list("subject", flat=True))
    lost_forms = [mark for subject, mark in subjects.items() if subject not in found]
    ids = {f"{mark}@senders.example.org": mark for mark in accepted["email"]}
    stored = Message.objects.filter(email_message_id__in=ids)
    found = set(stored.values_list("email_message_id", flat=True))
    lost_emails = [mark for message_id, mark in ids.items() if message_id not in found]
    # Each new request is confirmed: a ticket without any mail row had its planning lost.
    new = Ticket.objects.filter(created_at__gte=started_at)
    unplanned = new.exclude(Exists(OutboundEmail.objects.filter(ticket=OuterRef("pk"))))

    after = count_sends(mail_dir)
    sends = {stem: n - sends_before.get(stem, 0) for stem, n in after.items()}
    rows = OutboundEmail.objects.filter(created_at__gte=started_at).exclude(
        status=OutboundStatus.SKIPPED
    )
    stems = [file_stem(value) for value in rows.values_list("email_message_id", flat=True)]
    missing = [stem for stem in stems if sends.get(stem, 0) == 0]
    duplicates = sum(max(0, sends.get(stem, 0) - 1) for stem in stems)
    unknown = [stem for stem, n in sends.items() if n and stem not in set(stems)]
    return {
        "accepted_forms": len(accepted["form"]),
        "accepted_emails": len(accepted["email"]),
        "lost_forms": lost_forms,
        "lost_emails": lost_emails,
        "queued_mail": len(stems),
        "missing_sends": missing,
        "duplicate_sends": duplicates,
        "unknown_sends": unknown,
        "server_errors": accepted["server_errors"],
        "connection_errors": accepted["connection_errors"],
        "tickets_without_mail": list(unplanned.values_list("number", flat=True)),
    }


def figures(accepted):
    out = {}
    for kind in KINDS:
        times = accepted["ms"].get(kind, [])
        if len(times) >= 2:
            cuts = statistics.quantiles(times, n=100, method="inclusive")
            for percentile in (50, 95, 99):
                out[f"loadtest_{kind}_ms_p{percentile}"] = round(cuts[percentile - 1], 1)
    requests = sum(len(times) for times in accepted["ms"].values())
    out["loadtest_requests_per_s"] = round(requests / SECONDS, 1)
    out["form_submits_per_s"] = round(len(accepted["form"]) / SECONDS, 2)
    out["loadtest_emails_per_s"] = round(len(accepted["email"]) / SECONDS, 2)
    out["loadtest_5xx"] = accepted["server_errors"]
    out["loadtest_connection_errors"] = accepted["connection_errors"]
    return out


def session(workdir):
    mail_dir = workdir / "sent"
    mail_dir.mkdir()
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "bench.loadtest.settings",
            "PYTHONPATH": str(REPO_DIR),
            "LOADTEST_DATABASE_URL": DATABASE_URL,
            "LOADTEST_BROKER_URL": BROKER_URL,
            "LOADTEST_MAIL_DIR": str(mail_dir),
            "LOADTEST_WEBHOOK_SECRET": WEBHOOK_SECRET,
            "LOADTEST_FIXTURES": str(workdir / "fixtures.json"),
        }
    )
    started = time.monotonic()
    log(f"preparing {DATABASE_URL.rsplit('/', 1)[1]}")
    recreate_database()
    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import timezone

    from .mailbox import count_sends

    call_command("migrate", verbosity=0)
    (workdir / "fixtures.json").write_text(json.dumps(prepare_data()))
    broker().flushdb()  # the demo data's own notifications are not part of the load
    log(f"data ready in {time.monotonic() - started:.0f} s")

    processes = Processes(workdir)
    port = free_port()
    host = f"http://127.0.0.1:{port}"
    try:
        processes.start(
            "gunicorn",
            [
                sys.executable, "-m", "gunicorn", "sandbox.wsgi:application",
                "--workers", "2", "--bind", f"127.0.0.1:{port}", "--timeout", "60",
            ],
        )  # fmt: skip
        start_worker(processes)
        wait_for_site(host + "/")
        report = {}
        for name, kill_worker in (("mixed", False), ("killed", True)):
            log(f"{name}: {SECONDS} s, {USERS} users")
            run_started, sends_before = timezone.now(), count_sends(mail_dir)
            accepted = load(processes, workdir, name, host, kill_worker)
            recoveries = drain()
            check = reconcile(accepted, run_started, sends_before, mail_dir)
            check["recoveries"] = recoveries
            counts = {k: v if isinstance(v, int) else len(v) for k, v in check.items()}
            log(f"{name}: {json.dumps(counts)}")
            report[name] = (accepted, check)
    except BaseException:
        for name in list(processes.running):
            print(f"--- {name} (last lines)\n{processes.tail(name)}", file=sys.stderr)
        raise
    finally:
        processes.stop_all()
    return report


def verdict(report):
    results = figures(report["mixed"][0])
    mixed, killed = report["mixed"][1], report["killed"][1]
    results["loadtest_killed_worker_lost"] = len(killed["lost_forms"]) + len(killed["lost_emails"])
    results["loadtest_killed_worker_duplicate_sends"] = killed["duplicate_sends"]
    results["loadtest_killed_worker_missing_sends"] = len(killed["missing_sends"])
    results["loadtest_killed_worker_5xx"] = killed["server_errors"]
    results["loadtest_killed_worker_tickets_without_mail"] = len(killed["tickets_without_mail"])
    results["loadtest_killed_worker_recoveries"] = killed["recoveries"]
    results["loadtest_seconds"] = SECONDS
    results["loadtest_users"] = USERS
    problems = []
    for name, check in (("mixed", mixed), ("killed", killed)):
        for key in ("lost_forms", "lost_emails", "missing_sends", "unknown_sends"):
            if check[key]:
                problems.append(f"{name}: {len(check[key])} {key}, e.g. {check[key][:3]}")
        for key in ("duplicate_sends", "server_errors", "connection_errors"):
            if check[key]:
                problems.append(f"{name}: {check[key]} {key}")
        if not check["accepted_forms"] or not check["accepted_emails"]:
            problems.append(f"{name}: the site accepted no form posts or no e-mail")
        if check["tickets_without_mail"]:
            # Known gap, reported rather than failed: a worker killed between committing a
            # ticket and publishing its planning task leaves nothing to redeliver.
            print(
                f"WARNING {name}: tickets whose mail was never planned: "
                f"{check['tickets_without_mail'][:5]}",
                file=sys.stderr,
            )
    return results, problems


def write(results):
    out = REPO_DIR / "bench" / "results.json"
    previous = json.loads(out.read_text()) if out.exists() else {}
    out.write_text(json.dumps({**previous, **results}, indent=2) + "\n")


def main():
    def interrupted(signum, frame):
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, interrupted)
    with tempfile.TemporaryDirectory(prefix="loadtest-") as directory:
        report = session(Path(directory))
    results, problems = verdict(report)
    write(results)
    print(json.dumps(results, indent=2))
    for problem in problems:
        print(f"FAIL {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
