from django.urls import include, path

from . import views

urlpatterns = [
    path("signup/", views.signup, name="signup"),
    path("", views.account, name="account"),
    # login, logout, password change and the password-reset flow
    path("", include("django.contrib.auth.urls")),
]
