from django.urls import path

from .workflow_transfer import WorkflowTransferView, export_view

app_name = "wagtail_support_admin"

urlpatterns = [
    path("workflows/transfer/", WorkflowTransferView.as_view(), name="workflow_transfer"),
    path("workflows/<slug:slug>/export/", export_view, name="workflow_export"),
]
