"""The variables a mail template sees (listed in docs/email-templates.md).

Templates get plain values, never model instances: whoever edits a workflow's e-mails must not
be able to reach other data through a ticket's relations. Everything is computed for one
addressee, inside their language, so the customer never receives an internal note's text, a
link that isn't theirs, or the states' internal names.
"""

from django.utils.translation import gettext as _

from ..models import EventKind
from ..models.tickets import MessageKind
from . import links

# Set by the SLA work on Ticket; read with getattr so templates work before and after it.
DUE_FIELDS = ("first_response_due", "next_response_due", "resolution_due")


def brand(ticket):
    from ..conf import support_settings

    if support_settings.EMAIL_BRAND:
        return support_settings.EMAIL_BRAND
    site = links.site_for(ticket)
    return (site.site_name if site else "") or _("Support")


def person_name(user, fallback=""):
    if user is None:
        return fallback
    return user.get_full_name() or user.get_username()


def build(ticket, addressee, *, message=None, events=(), actor=None, link_only=False, extra=None):
    """The template variables for ``addressee``'s mail about ``ticket``.

    ``message`` is the ticket message the mail carries; an internal note is dropped here for the
    customer's side as a last line of defence (the senders never get that far with one).
    """
    customer_side = addressee.customer_side
    if message is not None and customer_side and message.kind == MessageKind.NOTE:
        message = None
    state = ticket.state
    if customer_side:
        link = links.customer_link(ticket) if addressee.audience == "customer" else None
    else:
        link = links.admin_link(ticket)
    author = message.author if message is not None else None
    if message is not None and message.from_customer:
        agent_name = ""
    elif message is not None:
        agent_name = person_name(author, message.author_name)
    else:
        agent_name = person_name(actor if getattr(actor, "pk", None) else None)
    context = {
        "number": ticket.number,
        "subject": ticket.subject,
        "state": state.label_for_customer if customer_side else state.name,
        "customer_name": ticket.customer_display,
        "customer_email": ticket.customer_email,
        "recipient_name": addressee.name,
        "message": "" if (message is None or link_only) else message.text,
        "message_is_note": message is not None and message.kind == MessageKind.NOTE,
        "link_only": link_only,
        "portal_link": link,
        "rating_links": links.rating_links(ticket) if addressee.audience == "customer" else [],
        "agent_name": agent_name,
        "priority": ticket.get_priority_display(),
        "category": str(ticket.category) if ticket.category_id else "",
        "site_name": brand(ticket),
        "changes": [] if customer_side else describe(events),
    }
    for name in DUE_FIELDS:
        context[name] = getattr(ticket, name, None)
    context.update(extra or {})
    return context


def describe(events):
    """One line per change in ``events``, for agents' mail."""
    lines = []
    for event in events:
        data = event.data or {}
        match event.kind:
            case EventKind.CREATED:
                lines.append(_("New request"))
            case EventKind.ACTION:
                lines.append(_("Action: %(name)s") % {"name": data.get("name", "")})
            case EventKind.STATE:
                lines.append(
                    _("State: %(old)s → %(new)s")
                    % {
                        "old": data.get("old", {}).get("name", ""),
                        "new": data.get("new", {}).get("name", ""),
                    }
                )
            case EventKind.ASSIGNMENT:
                new = data.get("new", {})
                who = (new.get("user") or new.get("group") or {}).get("label") or _("nobody")
                lines.append(_("Assigned to %(who)s") % {"who": who})
            case EventKind.MESSAGE:
                if data.get("from_customer"):
                    lines.append(_("The customer wrote"))
                else:
                    lines.append(_("Public reply"))
            case EventKind.NOTE:
                lines.append(_("Internal note"))
            case EventKind.FIELD:
                lines.append(
                    _("%(field)s: %(old)s → %(new)s")
                    % {
                        "field": data.get("field", ""),
                        "old": _label(data.get("old")),
                        "new": _label(data.get("new")),
                    }
                )
            case EventKind.DELETED:
                lines.append(_("Moved to the trash"))
    return lines


def _label(value):
    if isinstance(value, dict):
        return value.get("label", "")
    if value in (None, ""):
        return "—"
    return str(value)
