from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class NotificationKind(models.TextChoices):
    NEW_MESSAGE = "new_message", _("A new answer on my request")
    STATE_CHANGE = "state_change", _("My request changes state")


class NotificationPreferences(models.Model):
    """What a customer wants to be e-mailed about (R-CU5); everything is on until they say no."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="support_notifications"
    )
    new_message = models.BooleanField(_("e-mail me new answers"), default=True)
    state_change = models.BooleanField(_("e-mail me when the state changes"), default=True)

    class Meta:
        verbose_name = _("notification preferences")
        verbose_name_plural = _("notification preferences")

    def __str__(self):
        return str(self.user)


def wants(user, kind):
    """Whether ``user`` (None: a guest, who can't switch anything off) wants mail of ``kind``."""
    if user is None or not getattr(user, "pk", None):
        return True
    prefs = NotificationPreferences.objects.filter(user=user).first()
    return True if prefs is None else getattr(prefs, NotificationKind(kind).value)
