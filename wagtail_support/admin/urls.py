from django.urls import path

from .settings_view import SettingsView
from .workflow_transfer import WorkflowTransferView, export_view

app_name = "wagtail_support_admin"

urlpatterns = [
    path("workflows/transfer/", WorkflowTransferView.as_view(), name="workflow_transfer"),
    path("workflows/<slug:slug>/export/", export_view, name="workflow_export"),
    path("settings/", SettingsView.as_view(), name="settings"),
]
