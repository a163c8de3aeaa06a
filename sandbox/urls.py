from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

urlpatterns = [
    path("django-admin/", admin.site.urls),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("accounts/", include("sandbox.accounts.urls")),
    path("my-requests/", include("wagtail_support.urls")),
    path("support-faq/", include("wagtail_support.faq_urls")),
    # ESPs post inbound mail (and delivery events) here, e.g. /anymail/mailgun/inbound/.
    path("anymail/", include("wagtail_support.mail.webhook_urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Wagtail's page serving catches every remaining path, so it goes last.
urlpatterns.append(path("", include(wagtail_urls)))
