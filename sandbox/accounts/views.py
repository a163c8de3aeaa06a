from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from wagtail_support.models import Ticket

from .forms import SignUpForm
from .verification import confirm, is_verified, send_verification, user_for


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
    return render(request, "accounts/account.html", {"verified": is_verified(request.user)})


def verify_email(request, token):
    """GET asks the logged-in owner of the account to confirm; POST confirms and claims."""
    user = user_for(token, get_user_model().objects.filter(is_active=True))
    if user is None:
        raise Http404("This link is invalid or has expired.")
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if request.user != user:
        # Someone else's link: the address may be yours, but the account is not.
        raise Http404("This link confirms another account's address.")
    if request.method != "POST":
        guest_requests = Ticket.objects.alive().filter(
            customer__isnull=True, customer_email__iexact=user.email
        )
        context = {"email": user.email, "guest_requests": guest_requests.count()}
        return render(request, "accounts/verify_email.html", context)
    claimed = confirm(user, user.email)
    if claimed is None:
        raise Http404("This link is invalid or has expired.")
    messages.success(
        request,
        f"Your e-mail address is confirmed. Earlier requests now in My requests: {len(claimed)}.",
    )
    return redirect("account")


@login_required
@require_POST
def resend_verification(request):
    send_verification(request, request.user)
    messages.info(request, "We sent you a new confirmation link.")
    return redirect("account")
