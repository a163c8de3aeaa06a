""" "Publish to FAQ" for a canned answer: the agent picks a FAQ page they may edit, checks the
question and answer, and the entry is published (or left as a draft for a publisher)."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView

from ..faq.answers import publish_canned_answer, publishable_pages
from ..models import CannedAnswer, Category
from .pages import AdminPage


class PublishToFAQForm(forms.Form):
    page = forms.TypedChoiceField(label=gettext_lazy("FAQ page"), coerce=int)
    question = forms.CharField(label=gettext_lazy("Question"), max_length=255)
    answer = forms.CharField(
        label=gettext_lazy("FAQ answer"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=gettext_lazy("Blank lines start a new paragraph."),
    )
    category = forms.ModelChoiceField(
        label=gettext_lazy("Category"), queryset=Category.objects.all(), required=False
    )

    def __init__(self, pages, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.pages = {page.pk: page for page in pages}
        self.fields["page"].choices = [(page.pk, page.title) for page in pages]


class PublishToFAQView(AdminPage, FormView):
    template_name = "wagtail_support/admin/publish_to_faq.html"
    page_title = gettext_lazy("Publish to the FAQ")
    header_icon = "help"

    def dispatch(self, request, pk, *args, **kwargs):
        self.canned = get_object_or_404(CannedAnswer.objects.for_agent(request.user), pk=pk)
        return super().dispatch(request, *args, **kwargs)

    def get_form(self, form_class=None):
        return PublishToFAQForm(publishable_pages(self.request.user), **self.get_form_kwargs())

    def get_initial(self):
        return {
            "question": self.canned.title,
            "answer": self.canned.body,
            "category": self.canned.category_id,
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(canned=self.canned, **kwargs)

    def form_valid(self, form):
        data = form.cleaned_data
        page = form.pages[data["page"]]
        try:
            _entry, published = publish_canned_answer(
                self.canned,
                page,
                self.request.user,
                question=data["question"],
                answer=data["answer"],
                category=data["category"],
            )
        except ValidationError as error:
            form.add_error("answer", error)
            return self.form_invalid(form)
        if published:
            messages.success(self.request, _("“%(question)s” is published.") % data)
        else:
            messages.success(
                self.request, _("“%(question)s” is saved in a draft for a publisher.") % data
            )
        return redirect(reverse("wagtailadmin_pages:edit", args=[page.pk]))
