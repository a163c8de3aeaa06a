"""Admin screen for workflow export (a JSON download) and import (an upload), the same documents
the ``support_workflow`` command reads and writes."""

import json

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView

from ..models import Workflow
from ..workflows.transfer import (
    WorkflowImportError,
    export_workflow,
    import_workflow,
    load_document,
)
from .pages import AdminPage

MAX_DOCUMENT_SIZE = 1024 * 1024


def can_transfer(user):
    return user.has_perms(["wagtail_support.add_workflow", "wagtail_support.change_workflow"])


class ImportForm(forms.Form):
    document = forms.FileField(
        label=gettext_lazy("Workflow file (JSON)"),
        help_text=gettext_lazy("A file exported from this or another site."),
    )
    replace = forms.BooleanField(
        label=gettext_lazy("Replace the workflow with the same slug"), required=False
    )
    create_groups = forms.BooleanField(
        label=gettext_lazy("Create groups this site does not have"), required=False
    )

    def clean_document(self):
        upload = self.cleaned_data["document"]
        if upload.size > MAX_DOCUMENT_SIZE:
            raise forms.ValidationError(_("The file is too large for a workflow."))
        try:
            text = upload.read().decode("utf-8")
        except UnicodeDecodeError:
            raise forms.ValidationError(_("The file is not UTF-8 text.")) from None
        try:
            return load_document(text)
        except WorkflowImportError as error:
            raise forms.ValidationError(error.errors) from None


class WorkflowTransferView(AdminPage, FormView):
    template_name = "wagtail_support/admin/workflow_transfer.html"
    form_class = ImportForm
    page_title = gettext_lazy("Workflow export and import")
    header_icon = "download"

    def allowed(self, user):
        return can_transfer(user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["workflows"] = Workflow.objects.order_by("name")
        return context

    def form_valid(self, form):
        try:
            workflow = import_workflow(
                form.cleaned_data["document"],
                replace=form.cleaned_data["replace"],
                create_groups=form.cleaned_data["create_groups"],
            )
        except WorkflowImportError as error:
            for message in error.errors:
                form.add_error("document", message)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("Imported workflow “%(name)s” (%(slug)s).")
            % {"name": workflow.name, "slug": workflow.slug},
        )
        return redirect("wagtail_support_admin:workflow_transfer")


def export_view(request, slug):
    if not can_transfer(request.user):
        raise PermissionDenied
    workflow = get_object_or_404(Workflow, slug=slug)
    text = json.dumps(export_workflow(workflow), indent=2, ensure_ascii=False) + "\n"
    response = HttpResponse(text, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="workflow-{workflow.slug}.json"'
    return response
