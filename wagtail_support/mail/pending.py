"""Changes whose notifications are not planned yet, and the sweep that plans them.

Every change raises the ticket's ``version`` (the operation's number) and schedules
``notify_change`` after its commit. The ticket's ``notified_version`` is the last version whose
notifications are planned: a version above it is a change whose task has not run, is still
queued, or was lost with a worker. ``plan`` plans an operation together with any earlier one
still unplanned, in order, then raises the mark; the sweep plans whatever stayed unplanned for a
while. Planning twice (a lost task handed out again, the sweep and a slow task at once) queues
nothing twice: each mail is keyed by its Message-ID, and a task for an operation at or below the
mark returns at once.
"""

import logging
from datetime import timedelta

from django.db import InterfaceError, OperationalError
from django.db.models import F
from django.utils import timezone

from .. import jobs
from ..models import Ticket, TicketEvent
from . import notify

logger = logging.getLogger(__name__)


def plan(ticket_id, operation):
    """Plans the notifications of ``operation`` and of every earlier operation of the ticket not
    planned yet; the ids of the mail queued."""
    mark = Ticket.objects.filter(pk=ticket_id).values_list("notified_version", flat=True).first()
    if mark is None or not str(operation).isdigit():
        # Gone, or a UUID (planned before operations were numbered by the ticket's version).
        return [row.pk for row in notify.notify_change(ticket_id, operation)]
    operation = int(operation)
    if operation <= mark:
        return []
    if operation == mark + 1:
        operations = [operation]  # the usual case: nothing before it is missing
    else:
        operations = (
            TicketEvent.objects.filter(
                ticket_id=ticket_id, operation__gt=mark, operation__lte=operation
            )
            .order_by("operation")
            .values_list("operation", flat=True)
            .distinct()
        )
    queued = []
    for number in operations:
        try:
            queued += [row.pk for row in notify.notify_change(ticket_id, str(number))]
        except (OperationalError, InterfaceError):
            raise  # database trouble: nothing is marked, the task or the sweep tries again
        except Exception:
            if number == operation:
                raise
            # An earlier change that fails to plan (its own task failed the same way) must not
            # keep every later change of the ticket from being told.
            logger.exception("mail of change %s of ticket %s not planned", number, ticket_id)
    # ``update``, not ``save``: it leaves ``updated_at`` and every other column as they are.
    Ticket.objects.filter(pk=ticket_id, notified_version__lt=operation).update(
        notified_version=operation
    )
    return queued


def unplanned(older_than_seconds):
    """Tickets with a change older than ``older_than_seconds`` whose notifications are not
    planned (read through the partial index ws_ticket_unnotified)."""
    cutoff = timezone.now() - timedelta(seconds=older_than_seconds)
    return Ticket.objects.filter(version__gt=F("notified_version"), updated_at__lt=cutoff)


def sweep(older_than_seconds, limit=500):
    """Schedules the planning of every change left unplanned for ``older_than_seconds``: its
    task was lost (a worker killed mid-task, a broker down when it was queued). The ids of the
    tickets."""
    from .. import tasks

    found = list(
        unplanned(older_than_seconds).order_by("updated_at").values_list("pk", "version")[:limit]
    )
    for ticket_id, version in found:
        jobs.enqueue(tasks.notify_change, ticket_id, str(version))
    return [ticket_id for ticket_id, _version in found]
