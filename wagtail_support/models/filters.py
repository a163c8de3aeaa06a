from django.conf import settings
from django.contrib.auth.models import Group
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Sharing(models.TextChoices):
    PERSONAL = "personal", _("Only me")
    EVERYONE = "everyone", _("Every agent")
    GROUPS = "groups", _("Chosen groups")


class SavedFilterQuerySet(models.QuerySet):
    def for_user(self, user):
        """The filters ``user`` may use: their own and those shared with them."""
        group_ids = user.groups.values_list("pk", flat=True)
        return self.filter(
            Q(owner=user)
            | Q(sharing=Sharing.EVERYONE)
            | Q(sharing=Sharing.GROUPS, groups__in=group_ids)
        ).distinct()


class SavedFilter(models.Model):
    """A named inbox search. ``criteria`` holds validated query parameters of the inbox (allowlisted
    keys, each a list of strings), never ORM lookups."""

    name = models.CharField(_("name"), max_length=100)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("owner"),
    )
    sharing = models.CharField(
        _("shared with"), max_length=10, choices=Sharing.choices, default=Sharing.PERSONAL
    )
    groups = models.ManyToManyField(Group, blank=True, related_name="+", verbose_name=_("groups"))
    criteria = models.JSONField(_("criteria"), default=dict)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SavedFilterQuerySet.as_manager()

    class Meta:
        verbose_name = _("saved filter")
        verbose_name_plural = _("saved filters")
        ordering = ["name"]

    def __str__(self):
        return self.name


class FilterPanelEntry(models.Model):
    """A saved filter on one agent's inbox panel, at the place they dragged it to."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    saved_filter = models.ForeignKey(SavedFilter, on_delete=models.CASCADE, related_name="+")
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "saved_filter"], name="wagtail_support_panel_entry_once"
            )
        ]

    def __str__(self):
        return f"{self.user} · {self.saved_filter}"
