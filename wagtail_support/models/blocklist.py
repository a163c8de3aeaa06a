from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


def normalise(pattern):
    pattern = pattern.strip().lower()
    if "@" not in pattern:
        pattern = "@" + pattern
    return pattern


class BlockedSenderQuerySet(models.QuerySet):
    def matching(self, email):
        """Entries that block ``email``: the address itself or its domain."""
        email = (email or "").strip().lower()
        if "@" not in email:
            return self.none()
        return self.filter(pattern__in=[email, "@" + email.rsplit("@", 1)[1]])


class BlockedSender(models.Model):
    """An address (``someone@example.com``) or a whole domain (``@example.com``) whose requests
    are refused (R-IN3)."""

    pattern = models.CharField(
        _("address or domain"),
        max_length=254,
        unique=True,
        help_text=_("someone@example.com blocks one address; @example.com a whole domain."),
    )
    reason = models.CharField(_("reason"), max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = BlockedSenderQuerySet.as_manager()

    class Meta:
        verbose_name = _("blocked sender")
        verbose_name_plural = _("blocklist")
        ordering = ["pattern"]

    def __str__(self):
        return self.pattern

    def clean(self):
        self.pattern = normalise(self.pattern)
        _local, _at, domain = self.pattern.partition("@")
        if not domain or "." not in domain or " " in self.pattern:
            raise ValidationError({"pattern": _("Give an e-mail address or a domain.")})
