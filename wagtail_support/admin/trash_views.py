"""The trash in the admin: deleted tickets, for agents who may manage it, to restore or to
remove for good. Views parse and call ``trash``; every change is a POST."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSet

from .. import trash
from ..conf import support_settings
from ..ids import parse_ids
from ..workflows.engine import WorkflowError
from .pages import AdminPage


def _require_manager(user):
    if not trash.may_manage(user):
        raise PermissionDenied
    return user


class TrashView(AdminPage, TemplateView):
    template_name = "wagtail_support/admin/trash.html"
    page_title = gettext_lazy("Trash")
    header_icon = "bin"

    def allowed(self, user):
        return trash.may_manage(user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        tickets = (
            trash.trashed_tickets(self.request.user)
            .select_related("state", "deleted_by")
            .order_by("-deleted_at", "-pk")
        )
        page = Paginator(tickets, support_settings.PAGE_SIZE).get_page(self.request.GET.get("p"))
        context.update(page=page, days=support_settings.TRASH_DAYS)
        return context


@require_POST
def restore_view(request, pk):
    user = _require_manager(request.user)
    ticket = get_object_or_404(trash.trashed_tickets(user), pk=pk)
    try:
        trash.restore(ticket, user)
    except WorkflowError as error:
        messages.error(request, str(error))
        return redirect("support_trash:index")
    messages.success(request, _("Ticket %(number)s is back.") % {"number": ticket.number})
    return redirect("support_desk:ticket", pk=ticket.pk)


@require_POST
def empty_view(request):
    """Removes for good the ticked tickets, or the whole trash with ``all``."""
    user = _require_manager(request.user)
    ids = None if request.POST.get("all") == "1" else parse_ids(request.POST.getlist("tickets"))
    if ids == []:
        messages.error(request, _("Select the tickets to remove for good."))
        return redirect("support_trash:index")
    removed = trash.empty(user, ids)
    messages.success(
        request,
        ngettext(
            "%(count)s ticket removed for good.", "%(count)s tickets removed for good.", removed
        )
        % {"count": removed},
    )
    return redirect("support_trash:index")


class TrashMenuItem(MenuItem):
    def is_shown(self, request):
        return trash.may_manage(request.user)


class TrashViewSet(ViewSet):
    """Deleted tickets: listed, restored, removed for good."""

    name = "support_trash"
    icon = "bin"
    menu_label = gettext_lazy("Trash")
    menu_order = 900

    @property
    def menu_item_class(self):
        return TrashMenuItem

    def get_urlpatterns(self):
        return [
            path("", TrashView.as_view(), name="index"),
            path("<int:pk>/restore/", restore_view, name="restore"),
            path("empty/", empty_view, name="empty"),
        ]
