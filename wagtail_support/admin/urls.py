from django.urls import path

from .faq_publish import PublishToFAQView
from .settings_view import SettingsView
from .spam_views import not_spam_view, spam_view
from .workflow_transfer import WorkflowTransferView, export_view

app_name = "wagtail_support_admin"

urlpatterns = [
    path("workflows/transfer/", WorkflowTransferView.as_view(), name="workflow_transfer"),
    path("workflows/<slug:slug>/export/", export_view, name="workflow_export"),
    path("settings/", SettingsView.as_view(), name="settings"),
    path(
        "canned-answers/<int:pk>/publish-to-faq/",
        PublishToFAQView.as_view(),
        name="publish_to_faq",
    ),
    path("tickets/<int:pk>/spam/", spam_view, name="spam"),
    path("tickets/<int:pk>/not-spam/", not_spam_view, name="not_spam"),
]
