"""Confirming that a new account's e-mail address is really its owner's; only then are requests
sent earlier as a guest from that address handed to the account.

Signing up proves nothing about an address: anyone can type someone else's. The link goes to the
address, so opening it proves the mailbox; confirming it while logged in proves the account. Both
must hold, and the claim is a POST: a squatter's link clicked by the address's real owner (or
fetched by a mail scanner) moves nothing. An address held only by unverified accounts is not
taken: its owner signs up, confirms, and the squatting accounts lose it.
"""

from django.contrib.auth import get_user_model
from django.core import signing
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from wagtail_support.intake import claim_guest_requests

from .models import VerifiedEmail

SALT = "sandbox.accounts.verify_email"
MAX_AGE = 3 * 24 * 3600


def token_for(user):
    return signing.dumps({"u": user.pk, "e": user.email.lower()}, salt=SALT)


def user_for(token, users):
    try:
        data = signing.loads(token, salt=SALT, max_age=MAX_AGE)
    except signing.BadSignature:
        return None
    user = users.filter(pk=data.get("u")).first()
    if user is None or user.email.lower() != data.get("e"):
        return None  # the address changed since the link was sent
    return user


def send_verification(request, user):
    link = request.build_absolute_uri(reverse("verify_email", args=[token_for(user)]))
    send_mail(
        "Confirm your e-mail address",
        f"Open this link to confirm your address and see your earlier requests:\n{link}\n",
        None,
        [user.email],
    )


def is_verified(user):
    return VerifiedEmail.objects.filter(user=user, email__iexact=user.email).exists()


def taken(email):
    """An address is taken once an active account holding it has verified it."""
    return VerifiedEmail.objects.filter(
        email__iexact=email, user__email__iexact=email, user__is_active=True
    ).exists()


@transaction.atomic
def confirm(user, email):
    """Records ``email`` as verified for ``user`` and hands it the guest requests sent from it;
    None when the account no longer holds that address."""
    User = get_user_model()
    locked = User.objects.select_for_update().filter(pk=user.pk, is_active=True).first()
    if locked is None or locked.email.lower() != email.lower():
        return None
    squatters = User.objects.filter(email__iexact=email).exclude(pk=locked.pk)
    squatters.exclude(verified_email__email__iexact=email).update(email="")
    VerifiedEmail.objects.update_or_create(
        user=locked, defaults={"email": locked.email, "verified_at": timezone.now()}
    )
    return claim_guest_requests(locked, email)
