"""Django form fields for the value types that action fields and contact-form fields share, so
both kinds of designed field validate a date, a number or a choice the same way; and the one
e-mail address field of every form."""

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator


def typed_field(field_type, field, **extra):
    """A form field for ``field_type`` ("text", "multiline", "date", "integer", "decimal",
    "checkbox", "choice") from a designed ``field`` (label, required, help_text, choice_list());
    None for a type the caller handles itself."""
    kwargs = {"label": field.label, "required": field.required, "help_text": field.help_text}
    kwargs.update(extra)
    match field_type:
        case "text":
            return forms.CharField(max_length=1000, **kwargs)
        case "multiline":
            return forms.CharField(
                widget=forms.Textarea(attrs={"rows": 3}), max_length=5000, **kwargs
            )
        case "date":
            return forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), **kwargs)
        case "integer":
            return forms.IntegerField(**kwargs)
        case "decimal":
            return forms.DecimalField(max_digits=18, decimal_places=4, **kwargs)
        case "checkbox":
            return forms.BooleanField(**kwargs)
        case "choice":
            choices = [(choice, choice) for choice in field.choice_list()]
            return forms.ChoiceField(choices=[("", "---------"), *choices], **kwargs)
    return None


def validate_email_address(value):
    """One rule for every address a form takes: the one the mail pipeline reads senders with
    (``mail.parse.normalize_address``). Django's EmailValidator refuses an internationalised
    local part (RFC 6531: ``пётр@пример.рф``), which mail from such a customer carries."""
    from .mail.parse import normalize_address

    if not normalize_address(value):
        raise ValidationError(EmailValidator.message, code="invalid", params={"value": value})


class EmailAddressField(forms.EmailField):
    """An e-mail address, internationalised ones included. A text input, not type="email":
    browsers refuse a non-ASCII local part there before the form is sent."""

    widget = forms.TextInput(attrs={"inputmode": "email", "autocomplete": "email"})
    default_validators = [validate_email_address]
