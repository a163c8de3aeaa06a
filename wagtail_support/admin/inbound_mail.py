"""Incoming e-mail for admins: every stored delivery with its status, its raw copy, and a button
that processes failed or quarantined mail again. Read-only otherwise: mail is never edited."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from wagtail.admin.ui.tables import BooleanColumn, Column, DateColumn
from wagtail.admin.views.generic.models import DeleteView, IndexView, InspectView

from ..mail import inbound
from ..models import InboundEmail
from .viewsets import IntegerKeyViewSet

RAW_PREVIEW = 50_000


class InboundIndexView(IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("source", "ticket").defer("raw")

    def get_edit_url(self, instance):
        return self.get_inspect_url(instance)  # the title opens the read-only view

    def get_add_url(self):
        return None


class InboundDeleteView(DeleteView):
    usage_url_name = None  # the viewset has no usage view: nothing refers to stored mail

    def get_usage_url(self):
        return None


class InboundInspectView(InspectView):
    template_name = "wagtail_support/admin/inbound_inspect.html"

    def get_edit_url(self):
        return None

    def get_raw_display_value(self):
        if self.object.raw_purged_at is not None:
            return self.object.removed_notice
        raw = bytes(self.object.raw)
        text = raw[:RAW_PREVIEW].decode("utf-8", "replace")
        return text + ("\n…" if len(raw) > RAW_PREVIEW else "")

    def get_rebuilt_display_value(self):
        if self.object.rebuilt:
            return InboundEmail._meta.get_field("rebuilt").help_text
        return _("No: the raw copy is the message as the ESP or mailbox delivered it.")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["may_reprocess"] = self.object.can_reprocess and (
            self.permission_policy.user_has_permission(user, "change")
        )
        context["reprocess_url"] = self.viewset_urls["reprocess"]
        context["raw_url"] = self.viewset_urls["raw"]
        context["removed_notice"] = self.object.removed_notice
        return context

    @property
    def viewset_urls(self):
        from django.urls import reverse

        pk = self.object.pk
        return {
            "reprocess": reverse("support_inbound_mail:reprocess", args=[pk]),
            "raw": reverse("support_inbound_mail:raw", args=[pk]),
        }


class InboundEmailViewSet(IntegerKeyViewSet):
    model = InboundEmail
    icon = "mail"
    menu_label = gettext_lazy("Incoming e-mail")
    add_to_admin_menu = False
    index_view_class = InboundIndexView
    inspect_view_class = InboundInspectView
    delete_view_class = InboundDeleteView
    inspect_view_enabled = True
    list_display = [
        "__str__",
        "sender",
        Column("status", label=gettext_lazy("Status"), accessor="get_status_display"),
        "reason",
        "ticket",
        # Whether the raw copy is what arrived or what anymail rebuilt from an ESP's fields.
        BooleanColumn("rebuilt", label=gettext_lazy("Rebuilt")),
        DateColumn("received_at", label=gettext_lazy("Received")),
    ]
    list_filter = ["status", "channel", "source"]
    search_fields = ["subject", "sender", "email_message_id"]
    inspect_view_fields = [
        "received_at",
        "status",
        "reason",
        "channel",
        "esp",
        "rebuilt",
        "source",
        "sender",
        "envelope_recipient",
        "subject",
        "email_message_id",
        "size",
        "attempts",
        "ticket",
        "left_out",
        "error",
        "raw",
    ]
    form_fields = ["reason"]
    # A copy would be a form for new mail: mail is received, never written in the admin.
    copy_view_enabled = False

    def get_urlpatterns(self):
        dropped = {"add", "edit", "history", "history_results", "usage"}
        return [p for p in super().get_urlpatterns() if p.name not in dropped] + [
            path("reprocess/<int:pk>/", self.reprocess_view, name="reprocess"),
            path("raw/<int:pk>/", self.raw_view, name="raw"),
        ]

    @property
    def reprocess_view(self):
        @require_POST
        def view(request, pk):
            if not self.permission_policy.user_has_permission(request.user, "change"):
                raise PermissionDenied
            mail = get_object_or_404(InboundEmail.objects.defer("raw"), pk=pk)
            if not mail.can_reprocess:
                messages.error(request, _("This e-mail was processed already."))
            else:
                result = inbound.reprocess(mail.pk)
                messages.success(
                    request,
                    _("Processed again: %(status)s %(reason)s")
                    % {"status": result.get_status_display(), "reason": result.reason},
                )
            return redirect("support_inbound_mail:inspect", pk)

        return view

    @property
    def raw_view(self):
        def view(request, pk):
            if not self.permission_policy.user_has_any_permission(request.user, {"view", "change"}):
                raise PermissionDenied
            mail = get_object_or_404(InboundEmail, pk=pk)
            if mail.raw_purged_at is not None:
                raise Http404(mail.removed_notice)
            response = HttpResponse(bytes(mail.raw), content_type="application/octet-stream")
            response["Content-Disposition"] = f'attachment; filename="inbound-{mail.pk}.eml"'
            response["X-Content-Type-Options"] = "nosniff"
            return response

        return view
