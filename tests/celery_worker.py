"""A real Celery worker, in its own process, on the broker named by WAGTAIL_SUPPORT_TEST_BROKER_URL.

The worker runs the sandbox's Celery app configured the way a deployment configures it: from the
CELERY_BROKER_URL and CELERY_RESULT_BACKEND environment variables.
"""

import os
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

from tests import services

REPO_DIR = Path(__file__).resolve().parents[1]


def database_url_for_worker():
    """The URL of the database this test run uses, for a worker that must see its rows."""
    from django.db import connection

    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@contextmanager
def running_worker(extra_env=None, pool=("--pool=solo",)):
    """Runs a worker while the block runs; ends it, by its PID, afterwards. ``pool``: e.g.
    ("--pool=threads", "--concurrency=5") to run tasks at the same time."""
    from sandbox.celery import app

    broker = os.environ[services.BROKER_URL_VAR]
    # Messages left by an earlier run that was cut off must not reach this worker.
    app.control.purge()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "sandbox.settings.dev",
        "CELERY_BROKER_URL": broker,
        "CELERY_RESULT_BACKEND": broker,
        **(extra_env or {}),
    }
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "sandbox",
            "worker",
            *pool,
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "-l",
            "warning",
        ],
        cwd=REPO_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        yield worker
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()
        output = worker.stdout.read().decode(errors="replace")
        worker.stdout.close()
        worker.output = output  # what the worker printed (the console mail backend writes here)
        if worker.returncode not in (0, -15):
            print(output)
