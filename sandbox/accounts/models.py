from django.conf import settings
from django.db import models
from django.utils import timezone


class VerifiedEmail(models.Model):
    """The address an account proved it receives mail at, by opening the link sent there and
    confirming while logged in. An account without one only claims an address."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="verified_email"
    )
    email = models.EmailField()
    verified_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return self.email
