from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from wagtail_support.intake import claim_guest_requests

from .forms import SignUpForm
from .verification import send_verification, user_for


@sensitive_post_parameters("password1", "password2")
def signup(request):
    if request.user.is_authenticated:
        return redirect("account")
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        send_verification(request, user)
        messages.info(request, "We sent you a link to confirm your e-mail address.")
        return redirect("account")
    return render(request, "registration/signup.html", {"form": form})


@login_required
def account(request):
    return render(request, "accounts/account.html")


def verify_email(request, token):
    user = user_for(token, get_user_model().objects.filter(is_active=True))
    if user is None:
        raise Http404("This link is invalid or has expired.")
    claimed = claim_guest_requests(user)
    messages.success(
        request,
        f"Your e-mail address is confirmed. Earlier requests now in My requests: {len(claimed)}.",
    )
    return redirect("account" if request.user == user else "login")


@login_required
@require_POST
def resend_verification(request):
    send_verification(request, request.user)
    messages.info(request, "We sent you a new confirmation link.")
    return redirect("account")
