"""Who a ticket's mail goes to: the recipient kinds of action e-mails turned into addressees, each
with the language their mail is written in and which side of the desk they are on.

The customer's side (the customer and the participants copied on the conversation) never
receives an internal note; the senders check ``customer_side`` before anything else.
"""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model

from .. import access
from ..conf import support_settings
from ..workflows.models import Recipient

CUSTOMER = "customer"
PARTICIPANT = "participant"
AGENT = "agent"
FIXED = "fixed"


@dataclass(frozen=True)
class Addressee:
    email: str
    name: str = ""
    user: object = None
    language: str = ""
    audience: str = AGENT

    @property
    def customer_side(self):
        return self.audience in (CUSTOMER, PARTICIPANT)

    @property
    def key(self):
        return self.email.strip().lower()


def default_language():
    return settings.LANGUAGE_CODE


def user_language(user):
    """An agent's language: the one they chose in their Wagtail account, else the site's."""
    from wagtail.users.models import UserProfile

    profile = UserProfile.objects.filter(user=user).first()
    return (profile.preferred_language if profile else "") or default_language()


def customer(ticket):
    # An account's current address wins: the customer may have changed it since they wrote.
    account = getattr(ticket.customer, "email", "") if ticket.customer_id else ""
    email = account or ticket.customer_email
    if not email:
        return None
    return Addressee(
        email=email,
        name=ticket.customer_display,
        user=ticket.customer,
        # The language they wrote in (the portal's or the form page's at the time).
        language=ticket.language or default_language(),
        audience=CUSTOMER,
    )


def participants(ticket):
    language = ticket.language or default_language()
    return [
        Addressee(email=p.email, name=p.name, user=p.user, language=language, audience=PARTICIPANT)
        for p in ticket.participants.select_related("user").order_by("pk")
    ]


def agent(user, ticket=None):
    """``user`` as an addressee, or None when they can't receive or mustn't see the ticket."""
    if user is None or not user.is_active or not user.email:
        return None
    if ticket is not None and not access.can_see(user, ticket):
        return None
    name = user.get_full_name() or user.get_username()
    return Addressee(email=user.email, name=name, user=user, language=user_language(user))


def agents(users, ticket=None):
    found = (agent(user, ticket) for user in users)
    return [addressee for addressee in found if addressee is not None]


def supervisor_users():
    """Active members of ``WAGTAIL_SUPPORT_SUPERVISOR_GROUPS``; when there are none, the active
    superusers, so an alert always reaches somebody who can act on it."""
    users = get_user_model().objects.filter(is_active=True)
    members = users.filter(groups__name__in=support_settings.SUPERVISOR_GROUPS).distinct()
    return list((members if members.exists() else users.filter(is_superuser=True)).order_by("pk"))


def follower_users(ticket):
    return [follow.user for follow in ticket.follows.select_related("user").order_by("pk")]


def group_users(ticket):
    from ..workflows.forms import agents as group_agents

    if ticket.assigned_group_id is None:
        return []
    return list(group_agents(ticket.assigned_group).distinct().order_by("pk"))


def for_recipient(kind, ticket, fixed_address=""):
    """The addressees of an action e-mail's recipient ``kind`` on ``ticket``."""
    match kind:
        case Recipient.CUSTOMER:
            found = customer(ticket)
            return [found] if found else []
        case Recipient.ASSIGNEE:
            return agents([ticket.assignee] if ticket.assignee_id else [], ticket)
        case Recipient.GROUP:
            return agents(group_users(ticket), ticket)
        case Recipient.FOLLOWERS:
            return agents(follower_users(ticket), ticket)
        case Recipient.SUPERVISORS:
            return agents(supervisor_users(), ticket)
        case Recipient.FIXED:
            return [fixed(fixed_address)] if fixed_address else []
    return []


def fixed(address):
    return Addressee(email=address, language=default_language(), audience=FIXED)


def unique(addressees):
    """Each address once, the first occurrence kept."""
    seen, kept = set(), []
    for addressee in addressees:
        if addressee.key and addressee.key not in seen:
            seen.add(addressee.key)
            kept.append(addressee)
    return kept


def customer_side_addresses(ticket):
    """Every address on the customer's side of ``ticket``, lowercased."""
    found = {p.key for p in participants(ticket)}
    main = customer(ticket)
    if main:
        found.add(main.key)
    if ticket.customer_id and ticket.customer.email:
        found.add(ticket.customer.email.strip().lower())
    return found
