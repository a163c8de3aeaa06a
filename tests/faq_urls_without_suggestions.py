"""The sandbox's URLs minus ``wagtail_support.faq_urls``: a site that never included them."""

from sandbox.urls import urlpatterns as sandbox_urlpatterns

urlpatterns = [
    pattern
    for pattern in sandbox_urlpatterns
    if getattr(pattern, "app_name", None) != "wagtail_support_faq"
]
