"""The customer's "My requests" (R-CU1): their requests, each with its public thread, a reply form
and the actions the workflow offers customers. Everything goes through ``access`` (only their own
requests; anything else is 404) and through intake and the engine."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import OuterRef, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from .. import access, intake, ratings, tracking
from ..attachments import download
from ..conf import support_settings
from ..contact.forms import ContactForm, MultipleFileField
from ..contact.submit import Rejected, submit
from ..ids import parse_id
from ..models import (
    Attachment,
    Channel,
    MessageKind,
    NotificationPreferences,
    ReadMark,
    Source,
    SourceKind,
)
from ..workflows import rights
from ..workflows.engine import WorkflowError, perform
from . import guest


class PortalUrls:
    """Where My requests lives: below the URLconf's include() or below a My requests page. Both
    use the same path shapes under their base."""

    def __init__(self, base):
        self.base = base.rstrip("/") + "/"

    def ticket(self, number):
        return f"{self.base}{number}/"

    def guest(self, token):
        return f"{self.base}link/{token}/"


def include_urls():
    return PortalUrls(reverse("wagtail_support_portal:list"))


class ReplyForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Your reply"), widget=forms.Textarea(attrs={"rows": 5}), max_length=20000
    )
    attachments = MultipleFileField(label=gettext_lazy("Attachments"), required=False)


def own_requests(user):
    return access.visible_tickets(user, as_customer=True)


def own_request(user, number):
    if "\x00" in number:  # no number holds one, and PostgreSQL refuses it in a query
        raise Http404
    return get_object_or_404(own_requests(user).select_related("state", "workflow"), number=number)


def context_base(urls, **extra):
    return {"base_template": support_settings.PORTAL_BASE_TEMPLATE, "urls": urls, **extra}


@login_required
def request_list(request, urls=None):
    urls = urls or include_urls()
    # The customer's read mark rides along on each row of the page: not every mark of theirs
    # (a busy customer has thousands) in a query of its own.
    my_mark = ReadMark.objects.filter(user=request.user, ticket=OuterRef("pk")).values("read_at")
    tickets = (
        own_requests(request.user)
        .select_related("state")
        .annotate(my_read_at=Subquery(my_mark[:1]))
        .order_by("-last_activity_at", "-created_at")
    )
    page = Paginator(tickets, support_settings.PAGE_SIZE).get_page(request.GET.get("page"))
    for ticket in page:
        seen = ticket.my_read_at
        ticket.is_unread = seen is None or (
            ticket.last_activity_at and seen < ticket.last_activity_at
        )
        ticket.portal_url = urls.ticket(ticket.number)
    return render(
        request, "wagtail_support/portal/request_list.html", context_base(urls, page=page)
    )


def _detail_context(request, urls, ticket, reply_form=None):
    public = ticket.messages.filter(kind=MessageKind.REPLY).select_related("author")
    given = {rating.message_id: rating for rating in ticket.ratings.all()}
    return context_base(
        urls,
        ticket=ticket,
        ticket_url=urls.ticket(ticket.number),
        thread=public.prefetch_related("attachments"),
        ratings=given,
        can_rate_resolution=ratings.may_rate_resolution(ticket),
        reply_form=reply_form or ReplyForm(),
        actions=_customer_actions(request.user, ticket),
    )


def _customer_actions(user, ticket):
    """The actions this page offers: only those a customer may perform, asked of ``rights`` as
    the engine asks. The agents' side of an action (allowed groups, fields) is not read."""
    actions = ticket.workflow.actions.filter(customer_may_perform=True)
    return [action for action in actions if rights.why_not(user, ticket, action) is None]


@login_required
def request_detail(request, number, urls=None):
    urls = urls or include_urls()
    ticket = own_request(request.user, number)
    tracking.mark_read(ticket, request.user)
    return render(
        request,
        "wagtail_support/portal/request_detail.html",
        _detail_context(request, urls, ticket),
    )


def _send_reply(request, ticket, form, *, customer=None, email=""):
    """The customer's reply through intake; True when sent, else the form carries the errors."""
    if not form.is_valid():
        return False
    try:
        intake.receive(
            ticket.source,
            ticket=ticket,
            customer=customer,
            email=email,
            name="" if customer else ticket.customer_name,
            text=form.cleaned_data["text"],
            files=form.cleaned_data["attachments"],
            channel=Channel.WEB,
        )
    except ValidationError as error:
        for message in error.messages:
            form.add_error(None, message)
        return False
    messages.success(request, _("Your reply was sent."))
    return True


def _public_file(ticket, pk):
    # Only files of public messages: a file added with an internal note is not the customer's.
    item = get_object_or_404(Attachment, pk=pk, ticket=ticket, message__kind=MessageKind.REPLY)
    return download(item)


@login_required
@require_POST
def reply(request, number, urls=None):
    urls = urls or include_urls()
    ticket = own_request(request.user, number)
    form = ReplyForm(request.POST, request.FILES)
    if _send_reply(request, ticket, form, customer=request.user):
        return redirect(urls.ticket(ticket.number))
    return render(
        request,
        "wagtail_support/portal/request_detail.html",
        _detail_context(request, urls, ticket, reply_form=form),
        status=400,
    )


@login_required
@require_POST
def customer_action(request, number, slug, urls=None):
    urls = urls or include_urls()
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
    return redirect(urls.ticket(ticket.number))


def _rated_message(ticket, value):
    """The public message a rating form names, None for the resolution; 404 for anything else."""
    if not value:
        return None
    message_id = parse_id(value)
    if message_id is None:
        raise Http404
    return get_object_or_404(ticket.messages, pk=message_id, kind=MessageKind.REPLY)


@login_required
@require_POST
def rate_view(request, number, urls=None):
    urls = urls or include_urls()
    ticket = own_request(request.user, number)
    message = _rated_message(ticket, request.POST.get("message"))
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
    return redirect(urls.ticket(ticket.number))


@login_required
def attachment(request, number, pk, urls=None):
    return _public_file(own_request(request.user, number), pk)


def _no_referrer(response):
    # The link's token must not travel to other sites in the Referer header.
    response["Referrer-Policy"] = "no-referrer"
    return response


def guest_request(request, token, urls=None):
    urls = urls or include_urls()
    ticket = guest.ticket_for(token)
    if ticket is None:
        raise Http404
    form = ReplyForm()
    if request.method == "POST":
        form = ReplyForm(request.POST, request.FILES)
        if _send_reply(request, ticket, form, email=ticket.customer_email):
            return _no_referrer(redirect(urls.guest(token)))
    public = ticket.messages.filter(kind=MessageKind.REPLY).select_related("author")
    context = context_base(
        urls,
        ticket=ticket,
        guest_url=urls.guest(token),
        # The rating forms post below the link, as a customer's below their request's page.
        ticket_url=urls.guest(token),
        thread=public.prefetch_related("attachments"),
        ratings={rating.message_id: rating for rating in ticket.ratings.all()},
        can_rate_resolution=ratings.may_rate_resolution(ticket),
        reply_form=form,
    )
    status = 400 if form.errors else 200
    return _no_referrer(
        render(request, "wagtail_support/portal/guest_request.html", context, status=status)
    )


@require_POST
def guest_rate(request, token, urls=None):
    """A guest's rating, through their signed link, as a customer's through their account."""
    urls = urls or include_urls()
    ticket = guest.ticket_for(token)
    if ticket is None:
        raise Http404
    message = _rated_message(ticket, request.POST.get("message"))
    try:
        guest.rate(
            ticket,
            request.POST.get("score", "0") or "0",
            message=message,
            comment=request.POST.get("comment", ""),
        )
    except (ValidationError, ValueError) as error:
        messages.error(request, " ".join(getattr(error, "messages", [_("Give a score.")])))
    else:
        messages.success(request, _("Thank you for your rating."))
    return _no_referrer(redirect(urls.guest(token)))


def guest_attachment(request, token, pk, urls=None):
    ticket = guest.ticket_for(token)
    if ticket is None:
        raise Http404
    return _no_referrer(_public_file(ticket, pk))


@login_required
def new_request(request, urls=None):
    """A logged-in customer's new request, on the form of the source they pick."""
    urls = urls or include_urls()
    sources = list(Source.objects.filter(enabled=True, kind=SourceKind.WEB_FORM).order_by("name"))
    if not sources:
        raise Http404
    wanted = request.POST.get("source") or request.GET.get("source")
    source = next((s for s in sources if s.slug == wanted), sources[0])
    form = ContactForm(source, request.user, request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            received = submit(request, form)
        except Rejected:
            form.add_error(None, _("We could not accept this request. Please try again later."))
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(
                request,
                _("Thank you. Your request number is %(number)s.")
                % {"number": received.ticket.number},
            )
            return redirect(urls.ticket(received.ticket.number))
    context = context_base(urls, form=form, source=source, sources=sources)
    return render(request, "wagtail_support/portal/new_request.html", context)


class PreferencesForm(forms.ModelForm):
    class Meta:
        model = NotificationPreferences
        fields = ["new_message", "state_change"]


@login_required
def notification_preferences(request, urls=None):
    urls = urls or include_urls()
    prefs, _created = NotificationPreferences.objects.get_or_create(user=request.user)
    form = PreferencesForm(request.POST or None, instance=prefs)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your notification settings are saved."))
        return redirect(f"{urls.base}notifications/")
    context = context_base(urls, form=form)
    return render(request, "wagtail_support/portal/notifications.html", context)
