"""The ticket page's Move and edit, and Merge and split controls: each form is a fragment the
page fetches when its panel opens (like the action forms), each POST one call to a service
(``ticket_edit``, ``merge``)."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from .. import access, merge, ticket_edit
from ..ids import parse_id
from ..models import Message, MessageKind
from ..workflows.engine import WorkflowError
from ..workflows.models import State
from .ticket_views import visible_ticket


class StateChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, state):
        return state.name


class MoveForm(forms.Form):
    subject = forms.CharField(label=gettext_lazy("Subject"), max_length=255)
    source = forms.ModelChoiceField(label=gettext_lazy("Source"), queryset=None)
    state = StateChoiceField(
        label=gettext_lazy("State in the new workflow"),
        queryset=None,
        required=False,
        empty_label=gettext_lazy("The state of the same name, else the first state"),
        help_text=gettext_lazy("Asked only when the new source has another workflow."),
    )
    version = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, ticket, *args, **kwargs):
        super().__init__(*args, **kwargs)
        sources = ticket_edit.target_sources()
        self.fields["source"].queryset = sources
        self.fields["source"].initial = ticket.source_id
        self.fields["subject"].initial = ticket.subject
        self.fields["version"].initial = ticket.version
        # The other workflows' states, grouped by workflow: the agent picks where to land.
        workflows = {s.workflow_id for s in sources} - {ticket.workflow_id}
        states = (
            State.objects.filter(workflow_id__in=workflows)
            .select_related("workflow")
            .order_by("workflow__name", "sort_order", "pk")
        )
        self.fields["state"].queryset = states
        groups = {}
        for state in states:
            groups.setdefault(state.workflow.name, []).append((state.pk, state.name))
        self.fields["state"].choices = [("", self.fields["state"].empty_label), *groups.items()]


class MergeForm(forms.Form):
    number = forms.CharField(
        label=gettext_lazy("Merge this ticket into ticket number"),
        max_length=30,
        help_text=gettext_lazy(
            "This ticket's messages, files and people move there, and this ticket closes."
        ),
    )
    version = forms.CharField(widget=forms.HiddenInput, required=False)


def _editable(request, pk, allowed):
    ticket = visible_ticket(request.user, pk)
    if not allowed(request.user, ticket):
        raise PermissionDenied
    return ticket


def move_view(request, pk):
    """GET: the Move and edit form (a fragment). POST: the change, through ticket_edit.edit."""
    ticket = _editable(request, pk, ticket_edit.may_edit)
    form = MoveForm(ticket, request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            ticket_edit.edit(
                ticket,
                request.user,
                subject=data["subject"],
                source=data["source"],
                state=data["state"],
                expected_version=data["version"] or None,
            )
        except WorkflowError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Ticket %(number)s saved.") % {"number": ticket.number})
        return redirect("support_desk:ticket", pk=ticket.pk)
    if request.method == "POST":
        messages.error(request, _("Please correct the errors below."))
    context = {"ticket": ticket, "form": form}
    return TemplateResponse(request, "wagtail_support/admin/ticket_move.html", context)


def _survivor(user, number):
    """The ticket numbered ``number`` this agent sees: as typed, or with its prefix upper-cased
    (numbers are matched whole, by their unique index)."""
    number = number.strip().lstrip("#")
    spellings = {number, number.upper()}
    return access.visible_tickets(user).filter(number__in=spellings).first()


def merge_view(request, pk):
    """GET: the Merge and split panel (a fragment). POST: merge this ticket into another."""
    ticket = _editable(request, pk, merge.may_merge)
    form = MergeForm(request.POST or None, initial={"version": ticket.version})
    if request.method == "POST" and form.is_valid():
        survivor = _survivor(request.user, form.cleaned_data["number"])
        if survivor is None:
            messages.error(request, _("There is no ticket with that number you may see."))
            return redirect("support_desk:ticket", pk=ticket.pk)
        try:
            merge.merge(
                ticket,
                survivor,
                request.user,
                expected_version=form.cleaned_data["version"] or None,
            )
        except WorkflowError as error:
            messages.error(request, str(error))
            return redirect("support_desk:ticket", pk=ticket.pk)
        messages.success(
            request,
            _("%(duplicate)s was merged into %(survivor)s.")
            % {"duplicate": ticket.number, "survivor": survivor.number},
        )
        return redirect("support_desk:ticket", pk=survivor.pk)
    messages_to_split = Message.objects.filter(ticket=ticket, kind=MessageKind.REPLY).order_by(
        "created_at", "pk"
    )
    context = {"ticket": ticket, "form": form, "split_messages": messages_to_split}
    return TemplateResponse(request, "wagtail_support/admin/ticket_merge.html", context)


@require_POST
def split_view(request, pk):
    """Splits the posted message out of this ticket into a new one."""
    ticket = _editable(request, pk, merge.may_merge)
    message_pk = parse_id(request.POST.get("message", ""))
    message = Message.objects.filter(ticket=ticket, pk=message_pk).first() if message_pk else None
    if message is None:
        raise Http404
    try:
        new = merge.split(
            message,
            request.user,
            subject=request.POST.get("subject", ""),
            expected_version=parse_id(request.POST.get("version", "")),
        )
    except WorkflowError as error:
        messages.error(request, str(error))
        return redirect("support_desk:ticket", pk=ticket.pk)
    messages.success(
        request,
        _("The message is now ticket %(number)s.") % {"number": new.number},
    )
    return redirect("support_desk:ticket", pk=new.pk)


urlpatterns = [
    path("<int:pk>/move/", move_view, name="ticket_move"),
    path("<int:pk>/merge/", merge_view, name="ticket_merge"),
    path("<int:pk>/split/", split_view, name="ticket_split"),
]
