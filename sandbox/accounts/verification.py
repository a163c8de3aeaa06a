"""Confirming that a new account's e-mail address is really its owner's; only then are requests
sent earlier as a guest from that address handed to the account."""

from django.core import signing
from django.core.mail import send_mail
from django.urls import reverse

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
