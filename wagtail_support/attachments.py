"""Storing attachments, with the size, count and type limits enforced here and only here.

Every way a file comes in (contact form, My requests, the desk, inbound mail) asks this module:
uploads through ``check_attachments``, inbound mail through ``type_refusal`` for each file, so a
mail keeps its other files and its text when one attachment is refused.
"""

from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .conf import support_settings
from .models import Attachment

# The first bytes of programs and scripts that run when opened, whatever the file is called.
EXECUTABLE_SIGNATURES = (
    b"MZ",  # Windows and DOS programs, libraries, screensavers
    b"\x7fELF",  # Linux and BSD programs and libraries
    b"#!",  # scripts run by the interpreter their first line names
    b"\xfe\xed\xfa\xce",  # Mach-O (macOS), 32 and 64 bit, both byte orders
    b"\xfe\xed\xfa\xcf",
    b"\xce\xfa\xed\xfe",
    b"\xcf\xfa\xed\xfe",
    b"\xca\xfe\xba\xbe",  # Mach-O universal binaries and Java classes
)
SNIFF_BYTES = max(len(signature) for signature in EXECUTABLE_SIGNATURES)


def extension(name):
    """The last extension, lower case; Windows ignores trailing dots and spaces ("a.exe. ")."""
    stem = (name or "").rstrip(". ").rsplit("/", 1)[-1].rsplit("\\", 1)[-1]
    return stem.rpartition(".")[2].lower() if "." in stem else ""


def type_refusal(name, head):
    """Why a file called ``name`` whose content starts with ``head`` may not be attached (a short
    phrase for the uploader or the agents), or None when it may."""
    ext = extension(name)
    refused = {e.lower().lstrip(".") for e in support_settings.ATTACHMENT_REFUSED_EXTENSIONS}
    allowed = support_settings.ATTACHMENT_ALLOWED_EXTENSIONS
    if ext and ext in refused:
        return _("files ending in .%(ext)s are not accepted") % {"ext": ext}
    if allowed is not None and ext not in {e.lower().lstrip(".") for e in allowed}:
        return _("only these file types are accepted: %(types)s") % {
            "types": ", ".join(sorted(f".{e.lower().lstrip('.')}" for e in allowed))
        }
    if support_settings.ATTACHMENT_REFUSE_EXECUTABLE_CONTENT and (head or b"").startswith(
        EXECUTABLE_SIGNATURES
    ):
        return _("it holds a program or a script")
    return None


def _head(upload):
    """The first bytes of an uploaded file, leaving it to be read from the start again."""
    upload.seek(0)
    head = upload.read(SNIFF_BYTES)
    upload.seek(0)
    return head if isinstance(head, bytes) else head.encode("utf-8", "replace")


def check_attachments(ticket, files):
    """Raises ValidationError naming every file that breaks a limit, before anything is stored."""
    errors = []
    max_size = support_settings.ATTACHMENT_MAX_SIZE
    for upload in files:
        refusal = type_refusal(upload.name, _head(upload))
        if refusal:
            errors.append(
                _("“%(name)s” was refused: %(reason)s.") % {"name": upload.name, "reason": refusal}
            )
        elif upload.size > max_size:
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
