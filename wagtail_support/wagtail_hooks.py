"""Registers the help desk's admin URLs, menu items and permissions with Wagtail. Nothing else."""

from django.contrib.auth.models import Permission
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from .admin import urls
from .admin.menu import SupportViewSetGroup
from .admin.settings_view import may_view_settings
from .admin.workflow_transfer import can_transfer


@hooks.register("register_admin_viewset")
def register_support_menu():
    return SupportViewSetGroup()


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("support/", include(urls, namespace="wagtail_support_admin"))]


class WorkflowTransferMenuItem(MenuItem):
    def is_shown(self, request):
        return can_transfer(request.user)


@hooks.register("register_settings_menu_item")
def register_workflow_transfer_menu_item():
    return WorkflowTransferMenuItem(
        _("Workflow export/import"),
        reverse("wagtail_support_admin:workflow_transfer"),
        name="support-workflow-transfer",
        icon_name="download",
        order=900,
    )


class SupportSettingsMenuItem(MenuItem):
    def is_shown(self, request):
        return may_view_settings(request.user)


@hooks.register("register_settings_menu_item")
def register_support_settings_menu_item():
    return SupportSettingsMenuItem(
        _("Help desk"),
        reverse("wagtail_support_admin:settings"),
        name="support-settings",
        icon_name="cogs",
        order=890,
    )


@hooks.register("register_permissions")
def register_permissions():
    return Permission.objects.filter(content_type__app_label="wagtail_support").exclude(
        codename__startswith="view_"
    )


@hooks.register("before_serve_page")
def handle_contact_form_post(page, request, serve_args, serve_kwargs):
    if request.method == "POST" and "wagtail_support_form" in request.POST:
        from .contact.handling import handle_post

        return handle_post(page, request)
    return None
