"""The contact form of a source: guest contact, subject and description, the source's designed
fields, attachments, the honeypot and the fill-time token, and reCAPTCHA when the site has keys."""

from django import forms
from django.apps import apps
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .. import intake_config
from ..conf import support_settings
from ..form_fields import EmailAddressField, typed_field
from ..models import Category, ContactFieldType, Priority
from . import spam


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if not data:
            return []
        files = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(item, initial) for item in files]


def recaptcha_mode():
    mode = support_settings.RECAPTCHA
    has_keys = bool(
        getattr(settings, "RECAPTCHA_PUBLIC_KEY", "")
        and getattr(settings, "RECAPTCHA_PRIVATE_KEY", "")
    )
    if mode == "off" or not has_keys or not apps.is_installed("django_recaptcha"):
        return None
    return "v3" if mode == "v3" else "checkbox"


def designed_field(field):
    common = typed_field(field.field_type, field)
    if common is not None:
        return common
    kwargs = {"label": field.label, "required": field.required, "help_text": field.help_text}
    match field.field_type:
        case ContactFieldType.EMAIL:
            return EmailAddressField(**kwargs)
        case ContactFieldType.CATEGORY:
            return forms.ModelChoiceField(queryset=Category.objects.filter(public=True), **kwargs)
        case ContactFieldType.PRIORITY:
            return forms.TypedChoiceField(
                choices=Priority.choices, coerce=int, initial=Priority.NORMAL, **kwargs
            )
    raise ValueError(f"unknown field type {field.field_type!r}")


class ContactForm(forms.Form):
    def __init__(self, source, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.source = source
        self.user = user
        if not (user and user.is_authenticated):
            self.fields["name"] = forms.CharField(label=_("Your name"), max_length=150)
            self.fields["email"] = EmailAddressField(label=_("Your e-mail address"))
        self.fields["subject"] = forms.CharField(label=_("Subject"), max_length=255)
        self.fields["description"] = forms.CharField(
            label=_("How can we help?"), widget=forms.Textarea(attrs={"rows": 6}), max_length=20000
        )
        self.designed = intake_config.form_fields(source.pk)
        for field in self.designed:
            self.fields[field.key] = designed_field(field)
        if support_settings.ATTACHMENT_MAX_COUNT:
            self.fields["attachments"] = MultipleFileField(label=_("Attachments"), required=False)
        if support_settings.SPAM_HONEYPOT:
            # Hidden from people by CSS and from assistive technology; bots fill it in.
            self.fields[spam.HONEYPOT] = forms.CharField(
                required=False,
                label=_("Leave this empty"),
                widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
            )
        self.fields[spam.STARTED] = forms.CharField(
            required=False, widget=forms.HiddenInput, initial=spam.started_token
        )
        mode = recaptcha_mode()
        if mode:
            from django_recaptcha.fields import ReCaptchaField
            from django_recaptcha.widgets import ReCaptchaV2Checkbox, ReCaptchaV3

            widget = (
                ReCaptchaV3(
                    action="support_contact", required_score=support_settings.RECAPTCHA_V3_MIN_SCORE
                )
                if mode == "v3"
                else ReCaptchaV2Checkbox()
            )
            self.fields["captcha"] = ReCaptchaField(widget=widget, label="")

    def custom_values(self):
        return {
            field.key: self.cleaned_data.get(field.key)
            for field in self.designed
            if field.field_type not in (ContactFieldType.CATEGORY, ContactFieldType.PRIORITY)
            and self.cleaned_data.get(field.key) not in (None, "", [])
        }

    def built_in(self, kind):
        for field in self.designed:
            if field.field_type == kind:
                return self.cleaned_data.get(field.key)
        return None
