"""Storing attachments, with the size and count limits enforced here and only here."""

from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .conf import support_settings
from .models import Attachment


def check_attachments(ticket, files):
    """Raises ValidationError naming every file that breaks a limit, before anything is stored."""
    errors = []
    max_size = support_settings.ATTACHMENT_MAX_SIZE
    for upload in files:
        if upload.size > max_size:
            errors.append(
                _("“%(name)s” is %(size)s; files may be at most %(max)s.")
                % {
                    "name": upload.name,
                    "size": filesizeformat(upload.size),
                    "max": filesizeformat(max_size),
                }
            )
    max_count = support_settings.ATTACHMENT_MAX_COUNT
    existing = ticket.attachments.count() if ticket is not None and ticket.pk else 0
    if existing + len(files) > max_count:
        errors.append(
            ngettext(
                "A request may hold at most %(max)d file.",
                "A request may hold at most %(max)d files.",
                max_count,
            )
            % {"max": max_count}
        )
    if errors:
        raise ValidationError(errors, code="attachment_limit")


def store_attachments(ticket, message, files, uploaded_by=None):
    check_attachments(ticket, files)
    stored = []
    for upload in files:
        attachment = Attachment(
            ticket=ticket,
            message=message,
            original_name=(upload.name or "file")[:255],
            size=upload.size,
            content_type=(getattr(upload, "content_type", "") or "")[:100],
            uploaded_by=uploaded_by if getattr(uploaded_by, "pk", None) else None,
        )
        attachment.file.save(upload.name or "file", upload, save=False)
        attachment.save()
        stored.append(attachment)
    return stored


def download(attachment):
    """The file as a download, never rendered inline: it came from outside."""
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type="application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
