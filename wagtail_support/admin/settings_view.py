"""A read-only page of the help desk's settings as this site runs with them: support admins see
what is in force without reading the deployment's settings file."""

from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from ..conf import SETTINGS, support_settings
from .pages import AdminPage


def may_view_settings(user):
    return user.is_active and (user.is_superuser or user.has_perm("wagtail_support.change_source"))


class SettingsView(AdminPage, TemplateView):
    template_name = "wagtail_support/admin/settings.html"
    page_title = _("Help desk settings")
    header_icon = "cogs"

    def allowed(self, user):
        return may_view_settings(user)

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
