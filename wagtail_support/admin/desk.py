from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSet

from .. import access
from .bulk_views import bulk_view
from .filter_views import ManageFiltersView, panel_view, reorder_view, save_filter_view
from .inbox import InboxResultsView, InboxView
from .ticket_edit_views import urlpatterns as ticket_edit_urls
from .ticket_views import (
    NewTicketView,
    TicketView,
    action_form_view,
    attachment_view,
    follow_view,
    mark_unread_view,
    presence_view,
    revoke_guest_links_view,
    similar_view,
)


class AgentMenuItem(MenuItem):
    def is_shown(self, request):
        return access.is_agent(request.user)


class DeskViewSet(ViewSet):
    """The agent's desk: inbox, ticket pages, new tickets."""

    name = "support_desk"
    icon = "mail"
    menu_label = _("Inbox")

    @property
    def menu_item_class(self):
        return AgentMenuItem

    def get_urlpatterns(self):
        return [
            path("", InboxView.as_view(), name="inbox"),
            path("results/", InboxResultsView.as_view(), name="inbox_results"),
            path("new/", NewTicketView.as_view(), name="new_ticket"),
            path("bulk/", bulk_view, name="bulk"),
            path("<int:pk>/", TicketView.as_view(), name="ticket"),
            path("<int:pk>/actions/<slug:slug>/", action_form_view, name="ticket_action"),
            path("<int:pk>/similar/", similar_view, name="similar"),
            *ticket_edit_urls,
            path("<int:pk>/follow/", follow_view, name="follow"),
            path("<int:pk>/unread/", mark_unread_view, name="mark_unread"),
            path("<int:pk>/presence/", presence_view, name="presence"),
            path("<int:pk>/revoke-links/", revoke_guest_links_view, name="revoke_links"),
            path("attachments/<int:pk>/", attachment_view, name="attachment"),
            path("filters/", ManageFiltersView.as_view(), name="filters"),
            path("filters/save/", save_filter_view, name="save_filter"),
            path("filters/order/", reorder_view, name="reorder_filters"),
            path(
                "filters/<int:pk>/<str:operation>/",
                panel_view,
                name="filter_panel",
            ),
        ]
