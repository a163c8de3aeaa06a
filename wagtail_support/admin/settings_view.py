"""A read-only page of the help desk's settings as this site runs with them: support admins see
what is in force without reading the deployment's settings file."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from ..conf import SETTINGS, support_settings


def may_view_settings(user):
    return user.is_active and (user.is_superuser or user.has_perm("wagtail_support.change_source"))


class SettingsView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "wagtail_support/admin/settings.html"
    page_title = _("Help desk settings")
    header_icon = "cogs"

    def dispatch(self, request, *args, **kwargs):
        if not may_view_settings(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["settings"] = [
            {
                "name": setting.full_name,
                "value": getattr(support_settings, name),
                "default": setting.default,
                "changed": getattr(support_settings, name) != setting.default,
                "doc": setting.doc,
            }
            for name, setting in SETTINGS.items()
        ]
        return context
