"""The ticket page and the POST-only operations on it. Each view checks visibility through
``access`` and changes tickets only through the engine, intake or tracking services."""

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Subquery
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django.views.generic import FormView, TemplateView

from .. import access, intake, presence, tracking
from ..attachments import download
from ..faq.answers import insertable_entries
from ..form_fields import EmailAddressField
from ..models import (
    Attachment,
    CannedAnswer,
    Category,
    Follow,
    Priority,
    Service,
    ServiceLevel,
    Source,
    SourceKind,
)
from ..portal import guest
from ..similar import similar_tickets
from ..workflows import rights
from ..workflows.engine import InvalidActionData, WorkflowError, perform
from ..workflows.forms import MESSAGE, ActionForm
from . import ticket_html, ticket_rows
from .pages import AdminPage, require_agent

ALL_RELATED = (
    "state",
    "workflow",
    "source",
    "assignee",
    "assigned_group",
    "category",
    "customer",
    "service",
    "service_level",
)


def visible_ticket(user, pk, related=ALL_RELATED, **annotations):
    """The ticket if this agent may see it; 404 otherwise, so its existence isn't revealed."""
    require_agent(user)
    ticket = access.visible_tickets(user).select_related(*related)
    return get_object_or_404(ticket.annotate(**annotations), pk=pk)


def _name_of(model, column):
    return Subquery(model.objects.filter(pk=OuterRef(column)).values("name")[:1])


def page_ticket(user, pk):
    """The ticket as its page reads it. What the side panel only names (group, category,
    service, service level) comes as a name each, by a subquery: joined, each table multiplied
    the join orders PostgreSQL weighs, and planning the nine-table join took 11-19 ms against
    1.5 ms for five tables and four subqueries (EXPLAIN, 100,000 tickets)."""
    follows = Follow.objects.filter(ticket=OuterRef("pk"), user=user.pk)
    return visible_ticket(
        user,
        pk,
        related=("state", "workflow", "source", "assignee", "customer"),
        following=Exists(follows),
        group_name=_name_of(Group, "assigned_group_id"),
        category_name=_name_of(Category, "category_id"),
        service_name=_name_of(Service, "service_id"),
        service_level_name=_name_of(ServiceLevel, "service_level_id"),
    )


def sla_summary(ticket):
    """The ticket's clocks for the side panel: each target's due time or what was achieved."""
    now = timezone.now()
    paused = ticket.sla_paused
    rows = []
    for target, label, due, achieved, breached in (
        (
            "first_response",
            _("First response"),
            ticket.first_response_due,
            ticket.first_response_minutes,
            ticket.first_response_breached,
        ),
        (
            "next_response",
            _("Next response"),
            ticket.next_response_due,
            None,
            ticket.next_response_breached,
        ),
        (
            "resolution",
            _("Resolution"),
            ticket.resolution_due,
            ticket.resolution_minutes,
            ticket.resolution_breached,
        ),
    ):
        if due is None and achieved is None and not breached:
            continue
        rows.append(
            {
                "target": target,
                "label": label,
                "due": due,
                "overdue": due is not None and due <= now,
                "achieved": achieved,
                "breached": breached,
            }
        )
    return {"rows": rows, "paused": paused, "now": now}


def action_form(action, ticket, data=None, files=None):
    return ActionForm(action, ticket, data, files, auto_id=f"id_{action.slug}_%s")


def insertable_answers(request, ticket):
    """What the reply editor offers to insert: the agent's canned answers, filled in for this
    ticket, and the FAQ of the site the request came from (every site's for a source of all
    sites)."""
    canned = [
        {"id": answer.pk, "title": answer.title, "text": answer.render(ticket, request.user)}
        for answer in CannedAnswer.objects.for_agent(request.user)
    ]
    faq = insertable_entries(request, site=ticket.source.site)
    return {"canned_answers": canned, "faq_answers": faq, "insertable_answers": canned + faq}


def action_panel(request, ticket, action, form, version):
    """The context of one action's form (ticket_action.html). ``version`` is the ticket's
    version the agent saw, so a change made since is refused rather than acted on blindly."""
    context = {"ticket": ticket, "action": action, "form": form, "version": version}
    if MESSAGE in form.fields:
        context.update(insertable_answers(request, ticket))
    return context


class TicketView(AdminPage, TemplateView):
    """The ticket page. Action forms are built only when one is opened: by the fragment view
    when scripts run, or here with ``?open=<action>`` when they don't (and for a refused
    post, with what was typed); closed, an action costs its button alone."""

    template_name = "wagtail_support/admin/ticket.html"
    header_icon = "mail"

    def dispatch(self, request, pk):
        self.ticket = page_ticket(request.user, pk)
        return super().dispatch(request, pk)

    def get_page_title(self):
        return f"{self.ticket.number}: {self.ticket.subject}"

    below_inbox = True

    def get_breadcrumb_label(self):
        return self.ticket.number

    @cached_property
    def actions(self):
        return rights.available_actions(self.request.user, self.ticket, visible=True)

    def get(self, request, pk):
        tracking.mark_read(self.ticket, request.user)
        presence.touch(self.ticket.pk, request.user)
        opened = next((a for a in self.actions if a.slug == request.GET.get("open")), None)
        if opened is not None:
            opened = (opened, action_form(opened, self.ticket))
        return self.render_to_response(self.get_context_data(open_action=opened))

    def post(self, request, pk):
        action = next((a for a in self.actions if a.slug == request.POST.get("action")), None)
        if action is None:
            messages.error(request, _("That action is not available on this ticket now."))
            return redirect("support_desk:ticket", pk=self.ticket.pk)
        try:
            perform(
                self.ticket,
                action,
                request.user,
                request.POST,
                files=request.FILES.getlist("attachments"),
                expected_version=request.POST.get("version"),
            )
        except InvalidActionData:
            bound = action_form(action, self.ticket, request.POST)
            return self.render_to_response(self.get_context_data(open_action=(action, bound)))
        except (WorkflowError, ValidationError) as error:
            # The typed text stays in the form; the agent reads why and can try again.
            text = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
            messages.error(request, text)
            bound = action_form(action, self.ticket, request.POST)
            return self.render_to_response(self.get_context_data(open_action=(action, bound)))
        messages.success(request, _("%(action)s: done.") % {"action": action.name})
        return redirect("support_desk:ticket", pk=self.ticket.pk)

    def get_context_data(self, open_action=None, **kwargs):
        context = super().get_context_data(**kwargs)
        ticket, user = self.ticket, self.request.user
        # (action, form, is_open): only the open action has its form built.
        opened, form = open_action or (None, None)
        forms_by_action = [
            (action, form, True) if action == opened else (action, None, False)
            for action in self.actions
        ]
        if opened is not None:
            version = form.data.get("version") or ticket.version
            context.update(action_panel(self.request, ticket, opened, form, version))
        other = access.visible_tickets(user).exclude(pk=ticket.pk)
        other = (
            other.filter(customer=ticket.customer_id)
            if ticket.customer_id
            else other.filter(customer_email__iexact=ticket.customer_email)
        )
        stamps, names = ticket_rows.Stamps(), ticket_rows.Names()
        thread, loose_attachments = ticket_rows.thread(ticket, stamps, names)
        history = ticket_rows.history(ticket, stamps, names, thread)
        # What the list shows, not ten whole tickets.
        other = list(
            other.order_by("-created_at").values_list("pk", "number", "subject", "state__name")[:10]
        )
        context.update(
            ticket=ticket,
            thread=thread,
            thread_html=ticket_html.thread(thread, self.request),
            loose_attachments=loose_attachments,
            loose_attachments_html=ticket_html.loose_attachments(loose_attachments),
            history=history,
            history_html=ticket_html.history(history),
            action_forms=forms_by_action,
            action_rows=ticket_html.actions(ticket, forms_by_action),
            following=ticket.following,
            other_tickets=other,
            other_tickets_html=ticket_html.other_tickets(other),
            # Asked for only without scripts; otherwise similar_view serves them after the page.
            similar=similar_tickets(ticket, user) if self.request.GET.get("similar") else None,
            others_here=presence.others(ticket.pk, user),
            sla=sla_summary(ticket),
        )
        return context


def similar_view(request, pk):
    """The ticket's similar tickets, fetched by the ticket page once it is shown (R-DK7)."""
    ticket = visible_ticket(request.user, pk)
    context = {"similar": similar_tickets(ticket, request.user)}
    return TemplateResponse(request, "wagtail_support/admin/ticket_similar.html", context)


def action_form_view(request, pk, slug):
    """One action's form, fetched when the agent opens it on the ticket page."""
    ticket = visible_ticket(request.user, pk)
    actions = rights.available_actions(request.user, ticket, visible=True)
    action = next((a for a in actions if a.slug == slug), None)
    if action is None:
        raise Http404
    version = request.GET.get("version", "")
    version = int(version) if version.isdigit() else ticket.version
    context = action_panel(request, ticket, action, action_form(action, ticket), version)
    return TemplateResponse(request, "wagtail_support/admin/ticket_action.html", context)


@require_POST
def presence_view(request, pk):
    """Heartbeat from an open ticket page; answers with who else is there."""
    ticket = visible_ticket(request.user, pk)
    presence.touch(ticket.pk, request.user, request.POST.get("activity", "viewing"))
    return JsonResponse({"others": presence.others(ticket.pk, request.user)})


@require_POST
def follow_view(request, pk):
    ticket = visible_ticket(request.user, pk)
    if request.POST.get("follow") == "1":
        tracking.follow(ticket, request.user)
        messages.success(request, _("You follow %(number)s.") % {"number": ticket.number})
    else:
        tracking.unfollow(ticket, request.user)
        messages.success(request, _("You no longer follow %(number)s.") % {"number": ticket.number})
    return redirect("support_desk:ticket", pk=ticket.pk)


@require_POST
def revoke_guest_links_view(request, pk):
    ticket = visible_ticket(request.user, pk)
    guest.revoke(ticket, request.user)
    messages.success(request, _("Links sent to the customer so far no longer open this ticket."))
    return redirect("support_desk:ticket", pk=ticket.pk)


@require_POST
def mark_unread_view(request, pk):
    ticket = visible_ticket(request.user, pk)
    tracking.mark_unread(ticket, request.user)
    return redirect("support_desk:inbox")


def attachment_view(request, pk):
    attachment = get_object_or_404(Attachment.objects.select_related("ticket"), pk=pk)
    visible_ticket(request.user, attachment.ticket_id)  # 404 unless the agent sees the ticket
    if (
        attachment.message_id
        and attachment.message.is_internal
        and not access.is_agent(request.user)
    ):
        raise Http404
    return download(attachment)


class NewTicketForm(forms.Form):
    source = forms.ModelChoiceField(
        label=gettext_lazy("Source"), queryset=Source.objects.filter(enabled=True)
    )
    subject = forms.CharField(label=gettext_lazy("Subject"), max_length=255)
    customer = forms.ModelChoiceField(
        label=gettext_lazy("Existing customer"),
        queryset=get_user_model().objects.filter(is_active=True).order_by("username"),
        required=False,
    )
    email = EmailAddressField(label=gettext_lazy("Or their e-mail address"), required=False)
    name = forms.CharField(label=gettext_lazy("Name"), max_length=150, required=False)
    text = forms.CharField(
        label=gettext_lazy("What they asked"),
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
    )
    priority = forms.TypedChoiceField(
        label=gettext_lazy("Priority"),
        choices=Priority.choices,
        coerce=int,
        initial=Priority.NORMAL,
    )
    category = forms.ModelChoiceField(
        label=gettext_lazy("Category"), queryset=Category.objects.all(), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        manual = Source.objects.filter(enabled=True, kind=SourceKind.MANUAL).first()
        if manual:
            self.fields["source"].initial = manual.pk

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("customer") and not cleaned.get("email"):
            raise ValidationError(_("Choose the customer or give their e-mail address."))
        return cleaned


class NewTicketView(AdminPage, FormView):
    """A request taken by phone or at the desk (R-IN2): only subject and contact are required."""

    template_name = "wagtail_support/admin/new_ticket.html"
    form_class = NewTicketForm
    page_title = gettext_lazy("New ticket")
    header_icon = "plus"

    below_inbox = True

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            received = intake.receive(
                data["source"],
                subject=data["subject"],
                text=data["text"],
                customer=data["customer"],
                email=data["email"],
                name=data["name"],
                priority=data["priority"],
                category=data["category"],
                entered_by=self.request.user,
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
            return self.form_invalid(form)
        messages.success(
            self.request, _("Ticket %(number)s created.") % {"number": received.ticket.number}
        )
        return redirect("support_desk:ticket", pk=received.ticket.pk)
