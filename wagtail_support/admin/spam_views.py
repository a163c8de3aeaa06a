""" "Spam" and "Not spam" on the ticket page: POST-only adapters over ``spam_flags``."""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import spam_flags
from ..workflows.engine import WorkflowError
from .ticket_views import visible_ticket


@require_POST
def spam_view(request, pk):
    ticket = visible_ticket(request.user, pk)
    try:
        spam_flags.mark(
            ticket,
            request.user,
            block_sender=request.POST.get("block") == "1",
            expected_version=request.POST.get("version"),
        )
    except WorkflowError as error:
        messages.error(request, str(error))
        return redirect("support_desk:ticket", pk=ticket.pk)
    messages.success(request, _("%(number)s is marked as spam.") % {"number": ticket.number})
    return redirect("support_desk:ticket", pk=ticket.pk)


@require_POST
def not_spam_view(request, pk):
    ticket = visible_ticket(request.user, pk)
    try:
        spam_flags.release(ticket, request.user, expected_version=request.POST.get("version"))
    except WorkflowError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("%(number)s is released: it is back in the lists.") % {"number": ticket.number},
        )
    return redirect("support_desk:ticket", pk=ticket.pk)
