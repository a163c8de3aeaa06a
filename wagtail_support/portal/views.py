"""The customer's "My requests" (R-CU1): their requests, each with its public thread, a reply form
and the actions the workflow offers customers. Everything goes through ``access`` (only their own
requests; anything else is 404) and through intake and the engine."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from .. import access, intake, ratings, tracking
from ..conf import support_settings
from ..contact.forms import MultipleFileField
from ..models import Attachment, Channel, MessageKind, ReadMark
from ..workflows import rights
from ..workflows.engine import WorkflowError, perform
from ..workflows.models import StateType
from . import guest


class ReplyForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Your reply"), widget=forms.Textarea(attrs={"rows": 5}), max_length=20000
    )
    attachments = MultipleFileField(label=gettext_lazy("Attachments"), required=False)


def own_requests(user):
    return access.visible_tickets(user, as_customer=True)


def own_request(user, number):
    return get_object_or_404(own_requests(user).select_related("state", "workflow"), number=number)


def context_base(**extra):
    return {"base_template": support_settings.PORTAL_BASE_TEMPLATE, **extra}


@login_required
def request_list(request):
    tickets = (
        own_requests(request.user)
        .select_related("state")
        .order_by("-last_activity_at", "-created_at")
    )
    read = dict(
        ReadMark.objects.filter(user=request.user, ticket__in=tickets).values_list(
            "ticket_id", "read_at"
        )
    )
    page = Paginator(tickets, support_settings.PAGE_SIZE).get_page(request.GET.get("page"))
    for ticket in page:
        seen = read.get(ticket.pk)
        ticket.is_unread = seen is None or (
            ticket.last_activity_at and seen < ticket.last_activity_at
        )
    return render(request, "wagtail_support/portal/request_list.html", context_base(page=page))


def _detail_context(request, ticket, reply_form=None):
    public = ticket.messages.filter(kind=MessageKind.REPLY).select_related("author")
    given = {rating.message_id: rating for rating in ticket.ratings.all()}
    return context_base(
        ticket=ticket,
        thread=public.prefetch_related("attachments"),
        ratings=given,
        can_rate_resolution=ticket.state.type in (StateType.RESOLVED, StateType.CLOSED),
        reply_form=reply_form or ReplyForm(),
        actions=[
            action
            for action in rights.available_actions(request.user, ticket)
            if action.customer_may_perform
        ],
    )


@login_required
def request_detail(request, number):
    ticket = own_request(request.user, number)
    tracking.mark_read(ticket, request.user)
    return render(
        request, "wagtail_support/portal/request_detail.html", _detail_context(request, ticket)
    )


@login_required
@require_POST
def reply(request, number):
    ticket = own_request(request.user, number)
    form = ReplyForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            intake.receive(
                ticket.source,
                ticket=ticket,
                customer=request.user,
                text=form.cleaned_data["text"],
                files=form.cleaned_data["attachments"],
                channel=Channel.WEB,
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("Your reply was sent."))
            return redirect("wagtail_support_portal:detail", number=ticket.number)
    return render(
        request,
        "wagtail_support/portal/request_detail.html",
        _detail_context(request, ticket, reply_form=form),
        status=400,
    )


@login_required
@require_POST
def customer_action(request, number, slug):
    ticket = own_request(request.user, number)
    action = ticket.workflow.actions.filter(slug=slug, customer_may_perform=True).first()
    if action is None:
        raise Http404
    try:
        perform(
            ticket,
            action,
            request.user,
            {"message": request.POST.get("message", "")},
            expected_version=request.POST.get("version"),
            channel=Channel.WEB,
        )
    except WorkflowError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("%(action)s: done.") % {"action": action.name})
    return redirect("wagtail_support_portal:detail", number=ticket.number)


@login_required
@require_POST
def rate_view(request, number):
    ticket = own_request(request.user, number)
    message = None
    if request.POST.get("message"):
        message = get_object_or_404(
            ticket.messages, pk=request.POST["message"], kind=MessageKind.REPLY
        )
    try:
        ratings.rate(
            ticket,
            request.user,
            request.POST.get("score", "0") or "0",
            message=message,
            comment=request.POST.get("comment", ""),
        )
    except (ValidationError, ValueError) as error:
        messages.error(request, " ".join(getattr(error, "messages", [_("Give a score.")])))
    else:
        messages.success(request, _("Thank you for your rating."))
    return redirect("wagtail_support_portal:detail", number=ticket.number)


@login_required
def attachment(request, number, pk):
    ticket = own_request(request.user, number)
    # Only files of public messages: a file added with an internal note is not the customer's.
    item = get_object_or_404(Attachment, pk=pk, ticket=ticket, message__kind=MessageKind.REPLY)
    response = FileResponse(
        item.file.open("rb"),
        as_attachment=True,
        filename=item.original_name,
        content_type="application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _no_referrer(response):
    # The link's token must not travel to other sites in the Referer header.
    response["Referrer-Policy"] = "no-referrer"
    return response


def guest_request(request, token):
    ticket = guest.ticket_for(token)
    if ticket is None:
        raise Http404
    visitor = access.Guest(ticket.customer_email, ticket.customer_name)
    form = ReplyForm()
    if request.method == "POST":
        form = ReplyForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                intake.receive(
                    ticket.source,
                    ticket=ticket,
                    email=visitor.email,
                    name=visitor.name,
                    text=form.cleaned_data["text"],
                    files=form.cleaned_data["attachments"],
                    channel=Channel.WEB,
                )
            except ValidationError as error:
                for message in error.messages:
                    form.add_error(None, message)
            else:
                messages.success(request, _("Your reply was sent."))
                return _no_referrer(redirect("wagtail_support_portal:guest", token=token))
    public = ticket.messages.filter(kind=MessageKind.REPLY).select_related("author")
    context = context_base(
        ticket=ticket,
        thread=public.prefetch_related("attachments"),
        reply_form=form,
        token=token,
        guest=True,
    )
    status = 400 if form.errors else 200
    return _no_referrer(
        render(request, "wagtail_support/portal/guest_request.html", context, status=status)
    )


def guest_attachment(request, token, pk):
    ticket = guest.ticket_for(token)
    if ticket is None:
        raise Http404
    item = get_object_or_404(Attachment, pk=pk, ticket=ticket, message__kind=MessageKind.REPLY)
    response = FileResponse(
        item.file.open("rb"),
        as_attachment=True,
        filename=item.original_name,
        content_type="application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return _no_referrer(response)
