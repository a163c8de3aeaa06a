"""Absolute links put in the help desk's mail: the customer's page of a request (or their guest
link), its rating links, and the agent's page in the Wagtail admin."""

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from wagtail.models import Site

from ..portal import guest
from ..workflows.models import StateType


def site_for(ticket):
    return ticket.source.site or Site.objects.filter(is_default_site=True).first()


def _absolute(ticket, path):
    if path is None or path.startswith("http"):
        return path
    site = site_for(ticket)
    base = site.root_url if site else getattr(settings, "WAGTAILADMIN_BASE_URL", "")
    return f"{base.rstrip('/')}{path}"


def account_path(ticket):
    """The request's page in My requests: below include("wagtail_support.urls") if the site has
    it, else below its My requests page; None when it has neither."""
    from ..models import MyRequestsPage

    try:
        return reverse("wagtail_support_portal:detail", args=[ticket.number])
    except NoReverseMatch:
        page = MyRequestsPage.objects.live().first()
        return f"{page.url.rstrip('/')}/{ticket.number}/" if page and page.url else None


def customer_link(ticket):
    """Where the customer follows the request: their account's page, or for a guest the signed
    guest link (a guest has no other way in)."""
    if ticket.customer_id is None:
        return guest.absolute_link(ticket)
    return _absolute(ticket, account_path(ticket))


def rating_links(ticket):
    """Links that open the request's page (a guest's signed link) with a score chosen in its
    rating form, once the request is resolved."""
    if ticket.state.type not in (StateType.RESOLVED, StateType.CLOSED):
        return []
    link = customer_link(ticket)
    if not link:
        return []
    return [{"score": score, "url": f"{link}?score={score}#rating"} for score in range(1, 6)]


def admin_link(ticket):
    """The ticket's page in the desk, absolute on WAGTAILADMIN_BASE_URL (the admin may live on
    another host than the ticket's site)."""
    base = getattr(settings, "WAGTAILADMIN_BASE_URL", "") or ""
    try:
        path = reverse("support_desk:ticket", args=[ticket.pk])
    except NoReverseMatch:  # the desk's URLs are not installed
        return None
    return f"{base.rstrip('/')}{path}"
