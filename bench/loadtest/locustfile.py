"""The load: visitors posting the contact form, customers reading My requests, agents working
the inbox, and an ESP posting inbound mail to its webhook. Run by run.py (headless, loopback).

Every form post and e-mail carries a token of its own; the tokens the site accepted are written
to LOADTEST_ACCEPTED_FILE when the run ends, for run.py to look up in the database.
"""

import base64
import itertools
import json
import os
import random
import re
import uuid
from email.message import EmailMessage
from email.utils import formatdate

from locust import HttpUser, between, events, task

with open(os.environ["LOADTEST_FIXTURES"]) as fixtures:
    FIXTURES = json.load(fixtures)
RUN = os.environ.get("LOADTEST_RUN", "run")
# What run.py reads back: accepted tokens, 5xx responses, and every response time by kind
# (Locust's own percentiles are rounded to two significant digits).
ACCEPTED = {"form": [], "email": [], "server_errors": 0, "connection_errors": 0, "ms": {}}
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
STARTED = re.compile(r'name="started" value="([^"]+)"')
WHICH_FORM = re.compile(r'name="wagtail_support_form" value="([^"]+)"')
sequence = itertools.count(1)


def token(kind):
    return f"lt-{RUN}-{kind}-{next(sequence)}-{uuid.uuid4().hex[:8]}"


@events.request.add_listener
def record(name, response_time, response=None, **kwargs):
    ACCEPTED["ms"].setdefault(name, []).append(response_time)
    status = getattr(response, "status_code", 0) or 0
    if status >= 500:
        ACCEPTED["server_errors"] += 1
    elif not status:  # refused, reset or timed out: no HTTP answer at all
        ACCEPTED["connection_errors"] += 1


@events.quitting.add_listener
def write_accepted(**kwargs):
    with open(os.environ["LOADTEST_ACCEPTED_FILE"], "w") as handle:
        json.dump(ACCEPTED, handle)


def login(user, path, username, password, name):
    page = user.client.get(path, name=name)
    csrf = CSRF.search(page.text)
    user.client.post(
        path,
        {"username": username, "password": password, "csrfmiddlewaretoken": csrf and csrf[1]},
        headers={"Referer": user.host + path},
        allow_redirects=False,
        name=name,
    )


class Visitor(HttpUser):
    """Someone without an account who writes through the public contact form."""

    weight = 3
    wait_time = between(0.5, 1.5)

    @task
    def contact_form(self):
        path = FIXTURES["contact_path"]
        page = self.client.get(path, name="contact_page")
        csrf, started = CSRF.search(page.text), STARTED.search(page.text)
        which = WHICH_FORM.search(page.text)
        if not (csrf and started and which):
            return
        mark = token("form")
        with self.client.post(
            path,
            {
                "csrfmiddlewaretoken": csrf[1],
                "started": started[1],
                "wagtail_support_form": which[1],
                "name": "Load Visitor",
                "email": f"{mark}@visitors.example.net",
                "subject": f"Question {mark}",
                "description": "My parcel has not arrived yet, can you check? " * 3,
            },
            headers={"Referer": self.host + path},
            allow_redirects=False,
            name="form_submit",
            catch_response=True,
        ) as response:
            location = response.headers.get("Location", "")
            if response.status_code == 302 and "request_sent=" in location:
                ACCEPTED["form"].append(mark)
                response.success()
            elif response.status_code < 500:
                response.failure(f"form not accepted: {response.status_code}")


class Customer(HttpUser):
    """A signed-in customer looking at their requests."""

    weight = 2
    wait_time = between(0.5, 1.5)

    def on_start(self):
        self.me = random.choice(FIXTURES["customers"])
        login(self, FIXTURES["customer_login"], self.me["username"], self.me["password"], "login")

    @task(2)
    def my_requests(self):
        self.client.get(FIXTURES["my_requests"], name="my_requests")

    @task(3)
    def request_page(self):
        number = random.choice(self.me["numbers"])
        self.client.get(f"{FIXTURES['my_requests']}{number}/", name="request_page")


class Agent(HttpUser):
    """An agent with ordinary rights working through the inbox."""

    weight = 2
    wait_time = between(0.5, 1.5)

    def on_start(self):
        self.me = random.choice(FIXTURES["agents"])
        login(self, FIXTURES["agent_login"], self.me["username"], self.me["password"], "login")

    @task(2)
    def inbox(self):
        self.client.get(FIXTURES["inbox"], name="inbox")

    @task(3)
    def ticket_page(self):
        ticket = random.choice(self.me["tickets"])
        self.client.get(FIXTURES["ticket"].format(ticket), name="ticket_page")


class MailProvider(HttpUser):
    """SendGrid posting inbound mail (raw MIME) to anymail's webhook: new requests, and replies
    to mail of this run by In-Reply-To."""

    weight = 2
    wait_time = between(0.5, 1.5)

    def on_start(self):
        secret = FIXTURES["webhook_secret"].encode()
        self.auth = {"Authorization": "Basic " + base64.b64encode(secret).decode()}

    @task
    def inbound_mail(self):
        mark = token("email")
        message = EmailMessage()
        earlier = ACCEPTED["email"][-50:]
        parent = random.choice(earlier) if earlier and random.random() < 0.3 else None
        message["From"] = f"Mail Customer <{parent or mark}@senders.example.org>"
        message["To"] = FIXTURES["support_address"]
        message["Date"] = formatdate(localtime=True)
        message["Message-ID"] = f"<{mark}@senders.example.org>"
        if parent:
            message["Subject"] = f"Re: Mail {parent}"
            message["In-Reply-To"] = f"<{parent}@senders.example.org>"
            message["References"] = f"<{parent}@senders.example.org>"
        else:
            message["Subject"] = f"Mail {mark}"
        message.set_content("Hello, the device still shows error 42 after the update.\n")
        with self.client.post(
            FIXTURES["webhook"],
            files={"email": (None, message.as_bytes())},
            headers=self.auth,
            name="email_webhook",
            catch_response=True,
        ) as response:
            if response.status_code == 200:
                ACCEPTED["email"].append(mark)
