"""Wagtail's date pickers without inline scripts, so the desk runs under a Content-Security-Policy
that allows scripts from static files only (docs/security.md#content-security-policy).

Wagtail's ``AdminDateInput`` writes ``<script>initDateChooser(…)</script>`` after each input;
here the input carries the same configuration in a ``data-`` attribute and a static file calls
Wagtail's ``initDateChooser`` for it.
"""

from django import forms
from wagtail.admin.filters import DateRangePickerWidget
from wagtail.admin.staticfiles import versioned_static
from wagtail.admin.widgets import AdminDateInput


class DateInput(AdminDateInput):
    template_name = "django/forms/widgets/date.html"

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"]["data-ws-date-chooser"] = context["widget"]["config_json"]
        return context

    @property
    def media(self):
        return super().media + forms.Media(
            js=[versioned_static("wagtail_support/admin/date_chooser.js")]
        )


class DateRangeWidget(DateRangePickerWidget):
    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.widgets = [DateInput(attrs=widget.attrs) for widget in self.widgets]
