from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import UserCreationForm
from django.utils.translation import gettext_lazy as _

from .verification import taken


class SignUpForm(UserCreationForm):
    email = forms.EmailField(
        label=_("E-mail"), help_text=_("We send answers to your requests here.")
    )

    class Meta(UserCreationForm.Meta):
        model = get_user_model()
        fields = ("username", "email")

    def clean_email(self):
        email = self.cleaned_data["email"].strip()
        if taken(email):  # held only by unverified accounts: its owner may still take it back
            raise forms.ValidationError(
                _("An account with this e-mail already exists. Log in or reset your password.")
            )
        return email
