from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.models import Orderable


class ContactFieldType(models.TextChoices):
    TEXT = "text", _("Single line of text")
    MULTILINE = "multiline", _("Multi-line text")
    EMAIL = "email", _("E-mail address")
    DATE = "date", _("Date")
    INTEGER = "integer", _("Whole number")
    DECIMAL = "decimal", _("Decimal number")
    CHECKBOX = "checkbox", _("Checkbox")
    CHOICE = "choice", _("Choice from a list")
    CATEGORY = "category", _("Category (the ticket's own)")
    PRIORITY = "priority", _("Priority (the ticket's own)")


# Names the contact form uses for its own inputs.
RESERVED_FORM_KEYS = {
    "subject", "description", "name", "email", "attachments", "website", "started", "captcha",
    "wagtail_support_form",
}  # fmt: skip


class ContactFormField(Orderable):
    """A field a source's contact form asks for, besides subject and description (R-IN7)."""

    source = ParentalKey(
        "wagtail_support.Source", on_delete=models.CASCADE, related_name="form_fields"
    )
    label = models.CharField(_("label"), max_length=100)
    key = models.CharField(
        _("key"),
        max_length=50,
        validators=[RegexValidator(r"^[a-z][a-z0-9_]*$", _("Lowercase letters, digits, _."))],
        help_text=_("Name of the value in the ticket's custom fields."),
    )
    field_type = models.CharField(
        _("type"), max_length=20, choices=ContactFieldType.choices, default=ContactFieldType.TEXT
    )
    required = models.BooleanField(_("required"), default=False)
    help_text = models.CharField(_("help text"), max_length=255, blank=True)
    choices = models.TextField(_("choices"), blank=True, help_text=_("One per line."))

    class Meta(Orderable.Meta):
        verbose_name = _("form field")
        verbose_name_plural = _("form fields")
        constraints = [
            models.UniqueConstraint(fields=["source", "key"], name="wagtail_support_form_field_key")
        ]

    def __str__(self):
        return self.label

    def clean(self):
        super().clean()
        if self.key in RESERVED_FORM_KEYS:
            raise ValidationError(
                {"key": _("This key is taken by the form itself; choose another.")}
            )
        if self.field_type == ContactFieldType.CHOICE and not self.choice_list():
            raise ValidationError({"choices": _("Give the choices, one per line.")})

    def choice_list(self):
        return [line.strip() for line in self.choices.splitlines() if line.strip()]
