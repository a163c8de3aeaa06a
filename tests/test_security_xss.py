"""Stored XSS (issue #13, item 13): a corpus of payloads put into every place a customer or an
agent writes, rendered where others read it — the desk's ticket page and inbox, the portal's
request page and list, the e-mails' HTML and text parts. No payload may survive as markup; in
Chromium, no payload may run on one page each of the admin, the portal and an e-mail.

Every payload's active part sets ``window.xssmark<N>`` (and some open a dialog), so the flag's
name is what is looked for: in an event handler, a script, a URL, a tag or attribute that the
payload made up. Escaped text that merely shows the payload is fine."""

from html.parser import HTMLParser

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.http import QueryDict
from django.urls import reverse
from wagtail.models import Page, Site

from tests.mail import deliver, raw_mail
from tests.utils import PASSWORD, make_agent, make_user, new_ticket, perform_action, upload
from wagtail_support import saved_filters
from wagtail_support.models import CannedAnswer, ContactFormField, MyRequestsPage, Source, Ticket

MARK = "xssmark"
TEMPLATE_TELLTALE = "XSSTPL"  # what {{ "xsstpl"|upper }} would become if it were rendered


def corpus():
    """(number, payload): each payload's active part names its own flag."""
    payloads = [
        "<script>window.{m}=1</script>",
        '<img src=x onerror="window.{m}=1">',
        "<svg onload=window.{m}=1>",
        "<svg><script>window.{m}=1</script></svg>",
        '<math><mtext><table><mglyph><style><img src=x onerror="window.{m}=1">',
        '<a href="javascript:window.{m}=1">click</a>',
        "javascript:window.{m}=1",
        '"><script>window.{m}=1</script>',
        "'><img src=x onerror=window.{m}=1>",
        '" autofocus onfocus="window.{m}=1" x="',
        "<details open ontoggle=window.{m}=1>",
        '<iframe srcdoc="<script>parent.{m}=1</script>"></iframe>',
        "<body onload=window.{m}=1>",
        "<style>*{{background:url(javascript:window.{m}=1)}}</style>",
        '<a href="jav&#x09;ascript:window.{m}=1">tab</a>',
        '{{{{ "xsstpl"|upper }}}}{{% now "Y" %}} <b>{m}</b>',
        "\u202etxt.exe <script>window.{m}=1;alert(1)</script>",
        "<img src=x onerror=window.{m}=1>" + "x" * 10240,
    ]
    return [(n, p.format(m=f"{MARK}{n}")) for n, p in enumerate(payloads)]


class Markup(HTMLParser):
    """Collects where a payload's flag ended up as markup rather than as text."""

    URL_ATTRIBUTES = {"href", "src", "srcdoc", "action", "formaction", "xlink:href", "data"}
    NEVER_USER_TAGS = {"script", "svg", "math", "iframe", "object", "embed", "base", "meta"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found = []
        self.raw_text = None

    def handle_starttag(self, tag, attrs):
        if MARK in tag:
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            value = value or ""
            if MARK in name:
                self.found.append(f"<{tag} {name}>")
            elif MARK in value and (
                name.startswith("on")
                or name in ("style", *self.URL_ATTRIBUTES)
                or tag in self.NEVER_USER_TAGS
            ):
                self.found.append(f"<{tag} {name}={value[:80]!r}>")
        if tag in ("script", "style"):
            data_types = ("application/json", "application/ld+json")
            self.raw_text = "json" if dict(attrs).get("type") in data_types else tag

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self.raw_text = None

    def handle_data(self, data):
        # Data scripts (json_script) hold payloads as JSON, harmless unless a "<" is left to
        # close the element; any other script or style must not hold one at all.
        if self.raw_text and MARK in data and (self.raw_text != "json" or "<" in data):
            self.found.append(f"<{self.raw_text}>{data[:80]!r}")


def markup_in(html):
    scanner = Markup()
    scanner.feed(html)
    scanner.close()
    if scanner.raw_text not in (None, "json") and MARK in scanner.rawdata:
        scanner.found.append(f"<{scanner.raw_text}> left open")  # swallows the rest of the page
    return scanner.found


def build_world():
    """Every place a customer or an agent writes, holding the corpus."""
    Site.clear_site_root_paths_cache()
    payloads = corpus()
    website = Source.objects.get(slug="website")
    ContactFormField.objects.create(source=website, label="Order", key="order", field_type="text")
    agent = make_agent("anna", perms=("add_cannedanswer", "change_cannedanswer"))
    agent.user_permissions.add(Permission.objects.get(codename="access_admin"))
    everything = "\n".join(payload for _n, payload in payloads)
    carol = make_user("carol", email="carol@example.net")
    carol.first_name = everything[:150]
    carol.save()
    for number, payload in payloads:
        CannedAnswer.objects.create(title=payload[:100], body=payload, owner=agent)
        saved_filters.save_filter(agent, payload[:100], QueryDict("list=all"))
        # A customer with an account: subject, text, a designed field, a file name.
        new_ticket(
            website,
            customer=carol,
            subject=payload[:255],
            text=payload,
            custom_fields={"order": payload[:1000]},
            files=[upload(f"{payload[:80]}.txt")],
        )
        # A guest by e-mail: the address's display name, subject, text and HTML, a file name.
        deliver(
            raw_mail(
                sender=f'"{payload[:200]}" <guest{number}@example.net>',
                subject=payload[:255],
                text=payload,
                html=f"<p>{payload}</p>",
                attachments=[(f"{payload[:80]}.txt", b"hello", "text/plain")],
            )
        )
    # The agent answers a request of each: the answer goes to the customer by e-mail too.
    for ticket in (Ticket.objects.filter(customer=None).first(), carol.support_tickets.first()):
        perform_action(ticket, "reply", agent, {"message": everything})
    home = Page.objects.get(depth=2)
    my_requests = home.add_child(instance=MyRequestsPage(title="Requests", slug="requests"))
    return {"agent": agent, "carol": carol, "payloads": payloads, "my_requests": my_requests}


def pages(client, world):
    """(name, html) of every page that shows what was written."""
    client.login(username="anna", password=PASSWORD)
    carols = Ticket.objects.filter(customer=world["carol"]).first()
    guests = Ticket.objects.filter(customer=None).first()
    found = [
        ("inbox", client.get(reverse("support_desk:inbox"), {"list": "all"})),
        ("filters", client.get(reverse("support_desk:filters"))),
    ]
    for ticket in (carols, guests):
        url = reverse("support_desk:ticket", args=[ticket.pk])
        found.append((f"desk {ticket.number}", client.get(url, {"open": "reply"})))
        found.append((f"desk {ticket.number} images", client.get(url, {"images": "1"})))
    client.logout()
    client.login(username="carol", password=PASSWORD)
    found.append(("portal list", client.get(reverse("wagtail_support_portal:list"))))
    for ticket in Ticket.objects.filter(customer=world["carol"]):
        url = reverse("wagtail_support_portal:detail", args=[ticket.number])
        found.append((f"portal {ticket.number}", client.get(url)))
    found.append(("my requests page", client.get(world["my_requests"].url)))
    client.logout()
    return found


@pytest.mark.django_db
def test_no_payload_survives_as_markup_in_the_desk_the_portal_or_the_mail(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        world = build_world()
    rendered = pages(client, world)
    for name, response in rendered:
        assert response.status_code == 200, name
        html = response.content.decode()
        assert not markup_in(html), (name, markup_in(html)[:5])
        assert TEMPLATE_TELLTALE not in html, name
    # The payloads are on the pages, shown as text: the check above looked at them.
    assert all(MARK in response.content.decode() for _name, response in rendered)

    sent = [message for message in mail.outbox if MARK in message.body]
    assert len(sent) >= 2, "the guest and Carol are mailed the answers"
    for message in sent:
        assert TEMPLATE_TELLTALE not in message.body
        htmls = [body for body, mime in message.alternatives if mime == "text/html"]
        assert htmls, message.subject
        for html in htmls:
            assert not markup_in(html), (message.to, markup_in(html)[:5])
            assert TEMPLATE_TELLTALE not in html
        # The subject is a header: a payload's line break cannot start another one.
        assert "\n" not in message.subject and "\r" not in message.subject


def test_the_scanner_finds_each_payload_when_it_is_not_escaped():
    # The check above means something only if it catches every payload left as markup: in text,
    # in an attribute value (the broken-quote escapes) or as a link's address.
    contexts = ["<div>{}</div>", '<input value="{}">', '<a href="{}">x</a>']

    def caught(payload):
        return any(markup_in(context.format(payload)) for context in contexts)

    missed = [payload for _n, payload in corpus() if not caught(payload)]
    assert missed == [corpus()[15][1]]  # the template payload runs nothing by itself
    assert not markup_in("<div>&lt;script&gt;window.xssmark0=1&lt;/script&gt;</div>")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_no_payload_runs_in_chromium(live_server, page):
    world = build_world()
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))

    def flags():
        return page.evaluate(
            f"Object.keys(window).filter(k => k.startsWith({MARK!r}))"
            f".concat([...document.querySelectorAll('iframe')].flatMap(f => {{"
            f"  try {{ return Object.keys(f.contentWindow).filter(k => k.startsWith({MARK!r})) }}"
            "  catch (e) { return [] } }))"
        )

    guests = Ticket.objects.filter(customer=None).first()
    page.goto(live_server.url + "/admin/login/")
    page.get_by_label("Username").fill("anna")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"{live_server.url}/admin/support_desk/{guests.pk}/?open=reply&images={guests.pk}")
    page.wait_for_load_state("load")
    assert MARK in page.content()
    assert flags() == [] and dialogs == []

    page.context.clear_cookies()
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Username").fill("carol")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    carols = Ticket.objects.filter(customer=world["carol"]).first()
    page.goto(live_server.url + reverse("wagtail_support_portal:detail", args=[carols.number]))
    page.wait_for_load_state("load")
    assert MARK in page.content()
    assert flags() == [] and dialogs == []

    message = next(m for m in mail.outbox if MARK in m.body and m.alternatives)
    page.set_content(message.alternatives[0][0], wait_until="load")
    assert MARK in page.content()
    assert flags() == [] and dialogs == []
