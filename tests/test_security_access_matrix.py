"""The access matrix (issue #13, item 13): every URL pattern the help desk installs, requested as
every kind of actor of a small world, answers what one declarative table says. A URL pattern
the table does not classify fails the test: nobody adds a view without deciding who may open it.

The world: two customers with a request each, a guest request, two agents of different groups
(Anna works on the website source only, Boris on e-mail only: every state of the support
workflow is restricted to the supervisors, so an agent sees the requests assigned to their
group, which is the source's default group), a supervisor who sees every state, a superuser
and an anonymous visitor. Each path is filled with the ids of Carol's request (website) and of
Anna's own things, so the table says who may open *those*."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.test import Client
from django.urls import reverse
from wagtail.models import Page, Site

from tests import esp_posts, url_patterns
from tests.faq_helpers import SHOP_FAQ, make_faq
from tests.mail import deliver, raw_mail
from tests.utils import PASSWORD, make_agent, make_user, new_ticket, perform_action, upload
from wagtail_support import access, saved_filters
from wagtail_support.models import (
    BlockedSender,
    CannedAnswer,
    Category,
    MyRequestsPage,
    Service,
    ServiceLevel,
    Source,
    State,
    SupportSchedule,
    Workflow,
)
from wagtail_support.portal import guest

pytestmark = pytest.mark.django_db

ACTORS = ["anonymous", "carol", "dave", "anna", "boris", "supervisor", "superuser"]
CUSTOMERS = {"carol", "dave"}
AGENTS = {"anna", "boris", "supervisor", "superuser"}

# What an actor gets: the page ("ok": 200 to GET; to a POST anything but a refusal), the login
# page, a 404 (the thing is not theirs, and its existence is not revealed), or a refusal ("denied":
# 403, or Wagtail's redirect to the admin's home with a message). "405": GET of a POST-only view.
OK, LOGIN, NOT_FOUND, DENIED = "ok", "login", "404", "denied"
# A webhook post without the secret: anymail answers 400, or 401 asking for it (Amazon SES).
REFUSED_POST = {"400", "401"}
# Refused either way: the permission check or the owner check came first.
DENIED_OR_NOT_FOUND = {DENIED, NOT_FOUND}


def everyone(outcome):
    return dict.fromkeys(ACTORS, outcome)


def only(allowed, otherwise, anonymous=LOGIN):
    """``allowed`` actors get the page, the other logged-in ones ``otherwise``."""
    return {
        actor: OK if actor in allowed else (anonymous if actor == "anonymous" else otherwise)
        for actor in ACTORS
    }


def admin(allowed, otherwise=DENIED):
    """An admin view: customers are sent to the admin's login like anonymous visitors."""
    rule = only(allowed, otherwise)
    return {**rule, **dict.fromkeys(CUSTOMERS, LOGIN)}


KINDS = {
    # Anyone: the FAQ, the contact form, the guest links (the token is the key).
    "public": everyone(OK),
    # Any logged-in user's own lists and forms.
    "account": only(CUSTOMERS | AGENTS, LOGIN),
    # Carol's request in the portal: hers only; staff work on it in the desk, not as her.
    "carols_request": only({"carol"}, NOT_FOUND),
    # Anyone who works on tickets.
    "desk": admin(AGENTS),
    # Carol's request in the desk: agents who may see a website request.
    "website_ticket": admin({"anna", "supervisor", "superuser"}, NOT_FOUND),
    # Anna's personal canned answer and saved filter: hers (a superuser has no others' either).
    "annas_own": {**admin({"anna"}, NOT_FOUND), "anna": OK},
    # Configuration: the model's permissions, which only the superuser has here.
    "configuration": admin({"superuser"}),
    # anymail's inbound webhooks: a post without the webhook secret (HTTP basic auth) is refused
    # as a bad request, whoever is logged in.
    "webhook": everyone(REFUSED_POST),
}
# Canned answers: agents with the model's permissions (not the supervisor); another agent's
# personal answer is a 404 however its URL is spelled.
KINDS["canned"] = admin({"anna", "boris", "superuser"})
KINDS["annas_canned"] = {**KINDS["annas_own"], "supervisor": DENIED_OR_NOT_FOUND}
# Carol's request, for what needs a permission of its own (spam, move, merge and split), which
# only the superuser has here: refused whether the permission or the visibility check comes first.
KINDS["ticket_permission"] = admin({"superuser"}, DENIED_OR_NOT_FOUND)

CONFIG_VIEWSETS = [
    "support_sources",
    "support_workflows",
    "support_categories",
    "support_blocklist",
    "support_service_levels",
    "support_schedules",
    "support_services",
    "support_inbound_mail",
]
VIEWSETS = [
    "index", "index_results", "add", "edit", "delete", "history", "history_results", "usage",
    "copy", "inspect", "reprocess", "raw",
]  # fmt: skip
PORTAL_VIEWS = {
    "list": "account",
    "new": "account",
    "notifications": "account",
    "guest": "public",
    "guest_attachment": "public",
    "guest_rate": "public",
    "detail": "carols_request",
    "reply": "carols_request",
    "action": "carols_request",
    "rate": "carols_request",
    "attachment": "carols_request",
}
PORTAL_PAGE_VIEWS = {
    "requests": "list", "index_route": "list", "new": "new", "notifications": "notifications",
    "guest": "guest", "guest_file": "guest_attachment", "guest_rate": "guest_rate",
    "detail": "detail", "reply": "reply", "rate": "rate", "action": "action", "file": "attachment",
}  # fmt: skip

DESK_VIEWS = [
    "inbox", "inbox_results", "new_ticket", "bulk", "filters", "save_filter", "reorder_filters",
]  # fmt: skip
TICKET_VIEWS = [
    "ticket", "ticket_action", "similar", "follow", "mark_unread", "presence", "revoke_links",
    "attachment",
]  # fmt: skip

# The table: every URL pattern of the app, and the kind of access it has.
ACCESS = {
    **{f"support_desk:{name}": "desk" for name in DESK_VIEWS},
    **{f"support_desk:{name}": "website_ticket" for name in TICKET_VIEWS},
    "support_desk:filter_panel": "annas_own",
    **{f"support_desk:ticket_{name}": "ticket_permission" for name in ("move", "merge", "split")},
    "wagtail_support_admin:spam": "ticket_permission",
    "wagtail_support_admin:not_spam": "ticket_permission",
    **{f"support_trash:{name}": "configuration" for name in ("index", "restore", "empty")},
    **{f"support_canned_answers:{name}": "canned" for name in ("index", "index_results", "add")},
    **{
        f"support_canned_answers:{name}": "annas_canned"
        for name in ("edit", "delete", "history", "history_results", "usage", "copy")
    },
    "wagtail_support_admin:publish_to_faq": "annas_own",
    "wagtail_support_admin:workflow_transfer": "configuration",
    "wagtail_support_admin:workflow_export": "configuration",
    "wagtail_support_admin:settings": "configuration",
    **{f"{viewset}:{view}": "configuration" for viewset in CONFIG_VIEWSETS for view in VIEWSETS},
    **{f"wagtail_support_portal:{name}": kind for name, kind in PORTAL_VIEWS.items()},
    **{f"MyRequestsPage:{name}": PORTAL_VIEWS[view] for name, view in PORTAL_PAGE_VIEWS.items()},
    "wagtail_support_faq:suggest": "public",
    "wagtail_support_faq:opened": "public",
    "FAQPage:index": "public",
    "FAQPage:index_route": "public",
    "FAQPage:helpful": "public",
    "StreamPage:page": "public",
}
# The inbound webhooks of the ESPs the desk supports (docs/email.md); anymail's other URLs
# (tracking, ESPs the desk does not read mail from) are anymail's, not the desk's.
WEBHOOK = "webhook"
WEBHOOK_ESPS = [
    "amazon_ses", "brevo", "mailersend", "mailgun", "mailjet", "postal", "postmark", "sendgrid",
    "sparkpost",
]  # fmt: skip
ACCESS.update({f"anymail:{esp}_inbound_webhook": WEBHOOK for esp in WEBHOOK_ESPS})
ACCESS["anymail:mandrill_webhook"] = WEBHOOK

# Broken for everyone, not by access: Wagtail serves pages only at paths of word characters and
# dashes, and a guest link's signed token holds ":", so a site with only a My requests page (no
# include("wagtail_support.urls")) sends links that 404. Listed so that this test says when it
# works: then the table's answer ("public") applies.
KNOWN_BROKEN = {"MyRequestsPage:guest", "MyRequestsPage:guest_file", "MyRequestsPage:guest_rate"}

# Views that take only a POST: their GET is a 405 for whoever may post.
POST_ONLY = {
    "support_desk:bulk", "support_desk:save_filter", "support_desk:reorder_filters",
    "support_desk:follow", "support_desk:mark_unread", "support_desk:presence",
    "support_desk:revoke_links", "support_desk:filter_panel", "support_inbound_mail:reprocess",
    "wagtail_support_portal:reply", "wagtail_support_portal:action",
    "wagtail_support_portal:rate", "MyRequestsPage:reply", "MyRequestsPage:action",
    "MyRequestsPage:rate", "wagtail_support_faq:opened", "FAQPage:helpful",
    "support_desk:ticket_split", "wagtail_support_admin:spam", "wagtail_support_admin:not_spam",
    "support_trash:restore", "support_trash:empty", "wagtail_support_portal:guest_rate",
    "MyRequestsPage:guest_rate",
}  # fmt: skip


# POST-only views whose post names the thing to act on; an empty post names nothing.
NAMED_BY_POST = {"support_desk:ticket_split"}


def post_only(name):
    return name in POST_ONLY or kind_of(name) == WEBHOOK


def kind_of(name):
    return ACCESS.get(name)


@pytest.fixture
def world(settings):
    settings.ANYMAIL = esp_posts.ANYMAIL
    Site.clear_site_root_paths_cache()
    supervisors = Group.objects.create(name="Supervisors")
    website, email = Source.objects.get(slug="website"), Source.objects.get(slug="email")
    website.default_group = Group.objects.create(name="Website team")
    email.default_group = Group.objects.create(name="Mail team")
    website.save(), email.save()
    support = Workflow.objects.get(slug="support")
    for state in State.objects.filter(workflow=support):
        state.visible_to_groups.set([supervisors])
        state.save()  # a ParentalManyToManyField is written on save
    access.forget()

    carol = make_user("carol", email="carol@example.net")
    dave = make_user("dave", email="dave@example.net")
    admin_entry = Permission.objects.get(codename="access_admin")
    canned = ("add_cannedanswer", "change_cannedanswer", "delete_cannedanswer")
    anna = make_agent("anna", groups=["Website team"], perms=canned)
    boris = make_agent("boris", groups=["Mail team"], perms=canned)
    supervisor = make_agent("supervisor", groups=["Supervisors"], perms=("view_all_tickets",))
    superuser = make_user("superuser", superuser=True)
    for user in (anna, boris, supervisor):
        user.user_permissions.add(admin_entry)

    ticket = new_ticket(website, customer=carol, subject="Kettle", files=[upload("a.txt")])
    new_ticket(email, customer=dave, subject="Toaster")
    guest_ticket = new_ticket(website, email="gus@example.net", name="Gus", files=[upload("g.txt")])
    answer = CannedAnswer.objects.create(title="Mine", body="Anna's own", owner=anna)
    panel_filter = saved_filters.save_filter(anna, "Anna's", _query("list=mine"))
    inbound = deliver(raw_mail(subject="Stored"))
    faq = make_faq(entries=SHOP_FAQ)
    home = Page.objects.get(depth=2)
    my_requests = home.add_child(instance=MyRequestsPage(title="Requests", slug="requests"))
    contact = _contact_page(home)

    first = {
        "support_sources": Source.objects.first(),
        "support_workflows": support,
        "support_categories": Category.objects.first(),
        "support_blocklist": BlockedSender.objects.create(pattern="@spam.example"),
        "support_service_levels": ServiceLevel.objects.create(name="Standard"),
        "support_schedules": SupportSchedule.objects.create(name="Office"),
        "support_services": Service.objects.create(name="Basic"),
        "support_inbound_mail": inbound,
        "support_canned_answers": answer,
        "wagtail_support_admin": answer,
    }
    ids = {
        "number": ticket.number,
        "token": guest.token(guest_ticket),
        "slug": "support",
        "operation": "up",
        "entry_id": faq.entries.first().pk,
    }
    pks = {name: obj.pk for name, obj in first.items()}
    pks["support_desk"] = ticket.pk
    pks["support_desk:attachment"] = ticket.attachments.first().pk
    pks["support_desk:filter_panel"] = panel_filter.pk
    trashed = new_ticket(website, customer=carol, subject="Deleted kettle")
    perform_action(trashed, "delete", superuser, {"message": ""})
    pks["support_trash"] = trashed.pk
    pks["wagtail_support_admin:spam"] = pks["wagtail_support_admin:not_spam"] = ticket.pk
    pks["guest_attachment"] = guest_ticket.attachments.first().pk
    pks["guest_file"] = pks["guest_attachment"]
    pks["attachment"] = ticket.attachments.first().pk
    users = {
        "carol": carol, "dave": dave, "anna": anna, "boris": boris,
        "supervisor": supervisor, "superuser": superuser,
    }  # fmt: skip
    return {"users": users, "ids": ids, "pks": pks, "pages": [faq, my_requests, contact]}


def _query(text):
    from django.http import QueryDict

    return QueryDict(text)


def _contact_page(parent):
    from tests.testapp.models import StreamPage

    return parent.add_child(
        instance=StreamPage(
            title="Contact",
            slug="contact",
            body=[("contact_form", {"source": "website", "heading": "Write to us"})],
        )
    )


def path_values(world, name):
    """The real ids for the converters of the route ``name``."""
    namespace, _colon, view = name.partition(":")
    pks = world["pks"]
    if name in pks:
        pk = pks[name]
    elif namespace == "MyRequestsPage" and PORTAL_PAGE_VIEWS.get(view) in pks:
        pk = pks[PORTAL_PAGE_VIEWS[view]]
    elif view in pks and namespace == "wagtail_support_portal":
        pk = pks[view]
    else:
        pk = pks.get(namespace)

    def value(param, _converter):
        if param == "slug" and namespace == "support_desk":
            return "reply"
        if param == "slug" and namespace in ("wagtail_support_portal", "MyRequestsPage"):
            return "close-mine"
        return pk if param == "pk" else world["ids"][param]

    return value


def outcome(response):
    status = response.status_code
    if status in (301, 302):
        location = response["Location"]
        if "login" in location:
            return LOGIN
        if location.rstrip("/").endswith(reverse("wagtailadmin_home").rstrip("/")):
            return DENIED
        return OK
    return {200: OK, 403: DENIED, 404: NOT_FOUND, 405: "405"}.get(status, str(status))


def expected(name, method, actor):
    """The outcomes the table allows ``actor`` for ``method`` on the route ``name``."""
    result = KINDS[kind_of(name)][actor]
    if method == "get" and post_only(name) and result != LOGIN:
        # Refused for the method before anything is looked up, to whoever passed the login.
        return {"405"}
    if method == "post" and result == OK:
        # An empty post may be refused as data, past the access checks; one that names a thing
        # by its form's data (the message to split out) finds none.
        return {OK, "400", NOT_FOUND} if name in NAMED_BY_POST else {OK, "400"}
    return set(result) if isinstance(result, set) else {result}


class _RolledBack(Exception):
    """Undoes whatever a request changed (a delete, a reply), so every request meets the same
    world."""


def ask(client, method, url):
    response = None
    try:
        with transaction.atomic():
            response = getattr(client, method)(url)
            raise _RolledBack
    except _RolledBack:
        pass
    return response


def routes(world):
    found = url_patterns.all_routes(world["pages"])
    found.update(url_patterns.app_routes(url_patterns.WEBHOOK_NAMESPACES))
    return found


def test_every_url_pattern_is_in_the_table(world):
    unclassified = sorted(
        name for name in routes(world) if kind_of(name) is None and not name.startswith("anymail:")
    )
    assert not unclassified, f"Decide who may open these views, in ACCESS: {unclassified}"
    stale = (
        set(ACCESS)
        - set(routes(world))
        - {f"{viewset}:{view}" for viewset in CONFIG_VIEWSETS for view in VIEWSETS}
    )
    assert not stale, f"The table names views the app no longer has: {sorted(stale)}"


@pytest.mark.parametrize("actor", ACTORS)
def test_every_url_answers_each_actor_as_the_table_says(world, actor):
    client = Client(raise_request_exception=False)
    if actor != "anonymous":
        client.login(username=world["users"][actor].username, password=PASSWORD)
    wrong = []
    for name, route in sorted(routes(world).items()):
        if kind_of(name) is None:
            continue
        url = url_patterns.fill(route, path_values(world, name))
        if name.startswith("anymail:"):
            url = reverse(name)  # a regular expression, not a route with converters
        methods = ["post"] if post_only(name) else []
        for method in ["get", *methods]:
            got = outcome(ask(client, method, url))
            want = {NOT_FOUND} if name in KNOWN_BROKEN else expected(name, method, actor)
            if got not in want:
                allowed = "/".join(sorted(want))
                wrong.append(f"{method.upper()} {name} {url}: {got}, expected {allowed}")
    assert not wrong, "\n".join(wrong)
