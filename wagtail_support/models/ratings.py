from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .tickets import Message, Ticket


class Rating(models.Model):
    """A customer's rating of one answer, or of the resolution when ``message`` is empty (R-CU4)."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="ratings")
    message = models.ForeignKey(
        Message, null=True, blank=True, on_delete=models.CASCADE, related_name="ratings"
    )
    customer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    score = models.PositiveSmallIntegerField(
        _("score"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        constraints = [
            models.UniqueConstraint(
                fields=["message"],
                condition=Q(message__isnull=False),
                name="wagtail_support_one_rating_per_answer",
            ),
            models.UniqueConstraint(
                fields=["ticket"],
                condition=Q(message__isnull=True),
                name="wagtail_support_one_resolution_rating",
            ),
            models.CheckConstraint(
                condition=Q(score__gte=1, score__lte=5), name="wagtail_support_rating_score"
            ),
        ]

    def __str__(self):
        return f"{self.ticket_id}: {self.score}"
