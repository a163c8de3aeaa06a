"""What the help desk's own admin pages share: who may open them and where they sit."""

from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from .. import access


def require_agent(user):
    if not access.is_agent(user):
        raise PermissionDenied
    return user


class AdminPage(WagtailAdminTemplateMixin):
    """A page that ``allowed(user)`` may open, under Home, or under the inbox when
    ``below_inbox``."""

    below_inbox = False

    def allowed(self, user):
        return access.is_agent(user)

    def dispatch(self, request, *args, **kwargs):
        if not self.allowed(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumb_label(self):
        return self.get_page_title()

    def get_breadcrumbs_items(self):
        items = list(self.breadcrumbs_items)
        if self.below_inbox:
            items.append({"url": reverse("support_desk:inbox"), "label": _("Inbox")})
        items.append({"url": "", "label": self.get_breadcrumb_label()})
        return items
