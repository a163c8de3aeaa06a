"""The customer's "My requests" for sites that include it in their URLconf:
``path("my-requests/", include("wagtail_support.urls"))``."""

from django.urls import path

from .portal import views

app_name = "wagtail_support_portal"

urlpatterns = [
    path("", views.request_list, name="list"),
    path("new/", views.new_request, name="new"),
    path("notifications/", views.notification_preferences, name="notifications"),
    path("link/<str:token>/", views.guest_request, name="guest"),
    path("link/<str:token>/files/<int:pk>/", views.guest_attachment, name="guest_attachment"),
    path("link/<str:token>/rate/", views.guest_rate, name="guest_rate"),
    path("<str:number>/", views.request_detail, name="detail"),
    path("<str:number>/reply/", views.reply, name="reply"),
    path("<str:number>/do/<slug:slug>/", views.customer_action, name="action"),
    path("<str:number>/rate/", views.rate_view, name="rate"),
    path("<str:number>/files/<int:pk>/", views.attachment, name="attachment"),
]
