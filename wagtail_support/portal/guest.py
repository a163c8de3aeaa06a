"""Signed, expiring links that let a customer without an account open their request (R-CU3).
A link names the ticket and its guest-link version; raising the version revokes every link sent."""

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from wagtail.models import Site

from ..conf import support_settings
from ..models import Ticket

SALT = "wagtail_support.guest_link"


def token(ticket):
    return signing.dumps({"t": ticket.pk, "v": ticket.guest_link_version}, salt=SALT, compress=True)


def path(ticket):
    """The link's path: below include("wagtail_support.urls") if the site has it, else below its
    My requests page; None when it has neither."""
    from ..models import MyRequestsPage

    try:
        return reverse("wagtail_support_portal:guest", args=[token(ticket)])
    except NoReverseMatch:
        page = MyRequestsPage.objects.live().first()
        return f"{page.url.rstrip('/')}/link/{token(ticket)}/" if page and page.url else None


def ticket_for(value):
    """The ticket a link opens, or None when it is forged, expired, revoked or deleted, or when an
    account has claimed the request since (from then on it lives in that account's My requests,
    behind its login, and a forwarded or leaked old link must not keep opening it)."""
    try:
        data = signing.loads(value, salt=SALT, max_age=support_settings.GUEST_LINK_DAYS * 86400)
    except signing.BadSignature:
        return None
    ticket = (
        Ticket.objects.alive()
        .select_related("state", "workflow", "source")
        .filter(pk=data.get("t"), customer__isnull=True)
        .first()
    )
    if ticket is None or ticket.guest_link_version != data.get("v"):
        return None
    return ticket


def revoke(ticket, actor):
    """Makes every link sent so far stop working; recorded in the ticket's history."""
    from ..workflows.changes import TicketChange
    from ..workflows.engine import lock

    with transaction.atomic():
        locked = lock(ticket)
        change = TicketChange(locked, actor)
        change.set_attribute("guest_link_version", locked.guest_link_version + 1)
        change.save(activity=False)


def absolute_link(ticket):
    """The guest link with the site's address, for e-mails; None when the site has no My requests
    URLs."""
    link = path(ticket)
    if link is None:
        return None
    if link.startswith("http"):
        return link
    site = ticket.source.site or Site.objects.filter(is_default_site=True).first()
    base = site.root_url if site else getattr(settings, "WAGTAILADMIN_BASE_URL", "")
    return f"{base.rstrip('/')}{link}"


def rate(ticket, score, *, message=None, comment=""):
    """The guest's rating of an answer or of the resolution (R-CU4): they rate as the address
    the request came from, which is all a link proves."""
    from .. import access, ratings

    writer = access.Guest(ticket.customer_email, ticket.customer_name)
    return ratings.rate(ticket, writer, score, message=message, comment=comment)
