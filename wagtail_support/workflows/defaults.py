"""The workflows a new installation starts with, as import documents (see transfer.py):

- "support": the general help-desk process (New → In progress → Waiting for customer → Resolved →
  Closed, plus Reopened);
- "presales": answer a sales question at once, or ask the technical department first and answer
  after its advice;
- "feedback": acknowledge, then close.

They are created once, when the app's tables are first migrated, and are the site's to change.
"""

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext, gettext_noop

OPEN_STATES = ["new", "in-progress", "waiting", "reopened"]


def state(
    slug,
    name,
    type,
    customer_label="",
    *,
    color="#6b7280",
    pauses_sla=False,
    auto_close_days=None,
    customer_reply_target="",
    visible_to_groups=(),
):
    return {
        "slug": slug,
        "name": name,
        "type": type,
        "color": color,
        "customer_label": customer_label,
        "pauses_sla": pauses_sla,
        "auto_close_days": auto_close_days,
        "customer_reply_target": customer_reply_target,
        "visible_to_groups": list(visible_to_groups),
    }


def action(
    slug,
    name,
    *,
    from_states=(),
    to_state="",
    writes="nothing",
    message_required=False,
    assignment="keep",
    assign_group=None,
    agents_may_perform=True,
    customer_may_perform=False,
    assignee_only=False,
    allowed_groups=(),
    required_permission="",
    deletes=False,
    button_style="secondary",
    description="",
    fields=(),
    emails=(),
):
    return {
        "slug": slug,
        "name": name,
        "description": description,
        "from_states": list(from_states),
        "to_state": to_state,
        "agents_may_perform": agents_may_perform,
        "allowed_groups": list(allowed_groups),
        "assignee_only": assignee_only,
        "customer_may_perform": customer_may_perform,
        "required_permission": required_permission,
        "writes": writes,
        "message_required": message_required,
        "assignment": assignment,
        "assign_group": assign_group,
        "deletes": deletes,
        "button_style": button_style,
        "fields": list(fields),
        "emails": list(emails),
    }


def field(
    key, label, field_type="text", *, target="custom", choices=(), required=False, help_text=""
):
    return {
        "key": key,
        "label": label,
        "field_type": field_type,
        "target": target,
        "choices": list(choices),
        "required": required,
        "help_text": help_text,
    }


def document(slug, name, description, states, actions):
    return {
        "format": "wagtail-support-workflow",
        "version": 1,
        "workflow": {
            "name": name,
            "slug": slug,
            "description": description,
            "states": states,
            "actions": actions,
        },
    }


def delete_action():
    return action(
        "delete",
        gettext_noop("Delete"),
        description=gettext_noop("Moves the ticket to the trash. Admins only."),
        required_permission="wagtail_support.delete_ticket",
        deletes=True,
        writes="note",
        button_style="danger",
    )


SUPPORT = document(
    "support",
    gettext_noop("Support"),
    gettext_noop("The general help-desk process."),
    [
        state("new", gettext_noop("New"), "new", gettext_noop("Received"), color="#2563eb"),
        state(
            "in-progress",
            gettext_noop("In progress"),
            "open",
            gettext_noop("In progress"),
            color="#d97706",
        ),
        state(
            "waiting",
            gettext_noop("Waiting for customer"),
            "waiting",
            gettext_noop("Waiting for your reply"),
            color="#7c3aed",
            pauses_sla=True,
            customer_reply_target="in-progress",
        ),
        state(
            "resolved",
            gettext_noop("Resolved"),
            "resolved",
            gettext_noop("Resolved"),
            color="#16a34a",
            pauses_sla=True,
            auto_close_days=7,
            customer_reply_target="reopened",
        ),
        state(
            "closed",
            gettext_noop("Closed"),
            "closed",
            gettext_noop("Closed"),
            color="#4b5563",
            pauses_sla=True,
            customer_reply_target="reopened",
        ),
        state(
            "reopened", gettext_noop("Reopened"), "open", gettext_noop("Reopened"), color="#dc2626"
        ),
    ],
    [
        action(
            "reply",
            gettext_noop("Reply"),
            from_states=OPEN_STATES,
            to_state="in-progress",
            writes="reply",
            message_required=True,
            button_style="primary",
        ),
        action("note", gettext_noop("Internal note"), writes="note", message_required=True),
        action("take", gettext_noop("Take"), from_states=OPEN_STATES, assignment="take"),
        action(
            "assign",
            gettext_noop("Assign to user"),
            from_states=OPEN_STATES,
            assignment="choose_user",
            writes="note",
        ),
        action(
            "forward",
            gettext_noop("Forward to group"),
            description=gettext_noop("Hands the ticket to a department or specialist group."),
            from_states=OPEN_STATES,
            assignment="choose_group",
            writes="note",
        ),
        action(
            "details",
            gettext_noop("Update details"),
            from_states=OPEN_STATES,
            fields=[
                field("category", gettext_noop("Category"), "choice", target="category"),
                field(
                    "priority", gettext_noop("Priority"), "choice", target="priority", required=True
                ),
                field("complexity", gettext_noop("Complexity"), "choice", target="complexity"),
                field("kind", gettext_noop("Kind"), "choice", target="kind", required=True),
            ],
        ),
        action(
            "ask",
            gettext_noop("Ask the customer"),
            from_states=["new", "in-progress", "reopened"],
            to_state="waiting",
            writes="reply",
            message_required=True,
        ),
        action(
            "resolve",
            gettext_noop("Resolve"),
            from_states=OPEN_STATES,
            to_state="resolved",
            writes="reply",
            button_style="primary",
            fields=[
                field(
                    "resolution",
                    gettext_noop("Resolution"),
                    "choice",
                    choices=[
                        gettext_noop("Answered"),
                        gettext_noop("Fixed"),
                        gettext_noop("Workaround given"),
                        gettext_noop("Could not reproduce"),
                    ],
                    required=True,
                )
            ],
        ),
        action(
            "close",
            gettext_noop("Close without reply"),
            from_states=[*OPEN_STATES, "resolved"],
            to_state="closed",
            writes="note",
            button_style="warning",
            fields=[
                field(
                    "close_reason",
                    gettext_noop("Reason"),
                    "choice",
                    choices=[
                        gettext_noop("Duplicate"),
                        gettext_noop("Spam"),
                        gettext_noop("No response"),
                        gettext_noop("Other"),
                    ],
                    required=True,
                )
            ],
        ),
        action(
            "close-mine",
            gettext_noop("Close my request"),
            from_states=[*OPEN_STATES, "resolved"],
            to_state="closed",
            agents_may_perform=False,
            customer_may_perform=True,
            writes="reply",
        ),
        action(
            "reopen",
            gettext_noop("Reopen"),
            from_states=["resolved", "closed"],
            to_state="reopened",
            customer_may_perform=True,
            writes="reply",
        ),
        delete_action(),
    ],
)

PRESALES = document(
    "presales",
    gettext_noop("Presales and technical questions"),
    gettext_noop("Answer at once, or ask the technical department and answer after its advice."),
    [
        state("new", gettext_noop("New"), "new", gettext_noop("Received"), color="#2563eb"),
        state(
            "consulting",
            gettext_noop("Waiting for technical advice"),
            "open",
            gettext_noop("In progress"),
            color="#d97706",
        ),
        state(
            "advised",
            gettext_noop("Advice received"),
            "open",
            gettext_noop("In progress"),
            color="#0891b2",
        ),
        state(
            "answered",
            gettext_noop("Answered"),
            "resolved",
            gettext_noop("Answered"),
            color="#16a34a",
            pauses_sla=True,
            auto_close_days=14,
            customer_reply_target="new",
        ),
        state(
            "closed",
            gettext_noop("Closed"),
            "closed",
            gettext_noop("Closed"),
            color="#4b5563",
            customer_reply_target="new",
        ),
    ],
    [
        action(
            "answer",
            gettext_noop("Answer"),
            from_states=["new", "advised"],
            to_state="answered",
            writes="reply",
            message_required=True,
            button_style="primary",
        ),
        action(
            "ask-technical",
            gettext_noop("Ask the technical department"),
            from_states=["new", "advised"],
            to_state="consulting",
            writes="note",
            message_required=True,
            assignment="choose_group",
            fields=[
                field(
                    "request_type",
                    gettext_noop("Request type"),
                    "choice",
                    choices=[
                        gettext_noop("Technical"),
                        gettext_noop("Financial"),
                        gettext_noop("Presales"),
                    ],
                    required=True,
                )
            ],
        ),
        action(
            "advise",
            gettext_noop("Give advice"),
            from_states=["consulting"],
            to_state="advised",
            writes="note",
            message_required=True,
            assignment="unassign",
        ),
        action("note", gettext_noop("Internal note"), writes="note", message_required=True),
        action(
            "take",
            gettext_noop("Take"),
            from_states=["new", "consulting", "advised"],
            assignment="take",
        ),
        action(
            "close",
            gettext_noop("Close without reply"),
            from_states=["new", "consulting", "advised", "answered"],
            to_state="closed",
            writes="note",
            button_style="warning",
        ),
        delete_action(),
    ],
)

FEEDBACK = document(
    "feedback",
    gettext_noop("Feedback"),
    gettext_noop("Thank the customer for their feedback, then close."),
    [
        state("new", gettext_noop("New"), "new", gettext_noop("Received"), color="#2563eb"),
        state(
            "acknowledged",
            gettext_noop("Acknowledged"),
            "resolved",
            gettext_noop("Thank you"),
            color="#16a34a",
            pauses_sla=True,
            auto_close_days=3,
            customer_reply_target="new",
        ),
        state("closed", gettext_noop("Closed"), "closed", gettext_noop("Closed"), color="#4b5563"),
    ],
    [
        action(
            "acknowledge",
            gettext_noop("Acknowledge"),
            from_states=["new"],
            to_state="acknowledged",
            writes="reply",
            message_required=True,
            button_style="primary",
        ),
        action("note", gettext_noop("Internal note"), writes="note", message_required=True),
        action(
            "close",
            gettext_noop("Close"),
            from_states=["new", "acknowledged"],
            to_state="closed",
            button_style="warning",
        ),
        delete_action(),
    ],
)

DEFAULT_WORKFLOWS = (SUPPORT, PRESALES, FEEDBACK)
DEFAULT_SOURCES = (
    # slug, name, kind, workflow, prefix
    ("website", gettext_noop("Website contact form"), "web", "support", "WEB-"),
    ("email", gettext_noop("E-mail"), "email", "support", "MAIL-"),
    ("phone", gettext_noop("Phone and walk-in"), "manual", "support", "TEL-"),
    ("presales", gettext_noop("Sales questions"), "web", "presales", "PRE-"),
    ("feedback", gettext_noop("Feedback"), "web", "feedback", "FB-"),
)


def install_defaults(**kwargs):
    """Creates the default workflows, sources and categories when the site has no workflow yet."""
    from ..models import Category, Source, Workflow
    from .transfer import import_workflow

    if Workflow.objects.exists():
        return
    # Names are stored in the site's own language: they are the site's data from now on.
    with translation.override(settings.LANGUAGE_CODE):
        workflows = {
            doc["workflow"]["slug"]: import_workflow(translated(doc)) for doc in DEFAULT_WORKFLOWS
        }
        _install_sources_and_categories(Source, Category, workflows)


TRANSLATED_KEYS = {"name", "description", "customer_label", "label", "choice"}


def translated(value, key=None):
    if isinstance(value, dict):
        return {k: translated(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [translated(item, "choice" if key == "choices" else None) for item in value]
    if key in TRANSLATED_KEYS and isinstance(value, str) and value:
        return gettext(value)
    return value


def _install_sources_and_categories(Source, Category, workflows):
    for slug, name, kind, workflow, prefix in DEFAULT_SOURCES:
        Source.objects.get_or_create(
            slug=slug,
            defaults={
                "name": gettext(name),
                "kind": kind,
                "workflow": workflows[workflow],
                "number_prefix": prefix,
            },
        )
    for order, (slug, name) in enumerate(DEFAULT_CATEGORIES):
        Category.objects.get_or_create(
            slug=slug, defaults={"name": gettext(name), "sort_order": order}
        )


DEFAULT_CATEGORIES = (
    ("order", gettext_noop("Order")),
    ("payment", gettext_noop("Payment")),
    ("installation", gettext_noop("Installation errors")),
    ("account", gettext_noop("Account")),
    ("other", gettext_noop("Other")),
)
