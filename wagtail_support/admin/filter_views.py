"""Saving inbox filters and arranging the panel of them. Every change is a POST."""

import json

from django import forms
from django.contrib import messages
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView

from .. import saved_filters
from ..ids import IdsFormField
from ..models import SavedFilter, Sharing
from .inbox_choices import CheckboxSelectMultiple, Select
from .pages import AdminPage, require_agent


class SaveFilterForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=100)
    sharing = forms.ChoiceField(
        label=gettext_lazy("Shared with"),
        choices=Sharing.choices,
        initial=Sharing.PERSONAL,
        widget=Select,
    )
    groups = IdsFormField(
        label=gettext_lazy("Groups"),
        queryset=Group.objects.order_by("name"),
        required=False,
        widget=CheckboxSelectMultiple,
    )
    query = forms.CharField(widget=forms.HiddenInput, required=False)


@require_POST
def save_filter_view(request):
    user = require_agent(request.user)
    form = SaveFilterForm(request.POST)
    query = QueryDict(request.POST.get("query", ""))
    back = f"{reverse('support_desk:inbox')}?{query.urlencode()}"
    if not form.is_valid():
        messages.error(request, _("Give the filter a name."))
        return redirect(back)
    try:
        saved = saved_filters.save_filter(
            user,
            form.cleaned_data["name"],
            query,
            sharing=form.cleaned_data["sharing"],
            groups=form.cleaned_data["groups"],
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(back)
    messages.success(request, _("Saved the filter “%(name)s”.") % {"name": saved.name})
    return redirect(saved_filters.url(saved))


class ManageFiltersView(AdminPage, TemplateView):
    template_name = "wagtail_support/admin/filters.html"
    page_title = gettext_lazy("My filters")
    header_icon = "list-ul"

    below_inbox = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        on_panel = saved_filters.panel(user)
        context["panel"] = on_panel
        context["available"] = SavedFilter.objects.for_user(user).exclude(
            pk__in=[f.pk for f in on_panel]
        )
        return context


PANEL_OPERATIONS = {"add", "remove", "delete", "up", "down"}


@require_POST
def panel_view(request, pk, operation):
    user = require_agent(request.user)
    if operation not in PANEL_OPERATIONS:
        raise Http404
    saved = get_object_or_404(SavedFilter.objects.for_user(user), pk=pk)
    try:
        if operation == "add":
            saved_filters.add_to_panel(user, saved)
        elif operation == "remove":
            saved_filters.remove_from_panel(user, saved)
        elif operation == "delete":
            saved_filters.delete_filter(user, saved)
        elif operation in ("up", "down"):
            ids = [f.pk for f in saved_filters.panel(user)]
            index = ids.index(saved.pk)
            other = index - 1 if operation == "up" else index + 1
            if 0 <= other < len(ids):
                ids[index], ids[other] = ids[other], ids[index]
            saved_filters.reorder_panel(user, ids)
    except (ValidationError, ValueError) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    return redirect("support_desk:filters")


@require_POST
def reorder_view(request):
    """The order after a drag and drop, as a JSON list of filter ids."""
    user = require_agent(request.user)
    try:
        ids = json.loads(request.body or b"[]")
    except json.JSONDecodeError:
        return JsonResponse({"error": _("Send a JSON list of ids.")}, status=400)
    if not isinstance(ids, list):
        return JsonResponse({"error": _("Send a JSON list of ids.")}, status=400)
    saved_filters.reorder_panel(user, ids)
    return JsonResponse({"order": [f.pk for f in saved_filters.panel(user)]})
