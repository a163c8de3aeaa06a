"""The FAQ's endpoints for the contact form's suggestions, for sites that include them:
``path("support-faq/", include("wagtail_support.faq_urls"))``. Without them the contact form
works as before, just without suggestions."""

from django.urls import path

from .faq import views

app_name = "wagtail_support_faq"

urlpatterns = [
    path("suggest/", views.suggest, name="suggest"),
    path("opened/", views.opened, name="opened"),
]
