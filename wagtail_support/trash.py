"""The trash of tickets. A ticket leaves the desk through its workflow's deleting action (the
engine stamps ``deleted_at``/``deleted_by`` and records the deletion); from then on ``access``
leaves it out of every list, search, count, page and link. Here it can be restored (recorded in
its history) or removed for good: by an admin emptying the trash, or by the periodic purge once
it has been there ``WAGTAIL_SUPPORT_TRASH_DAYS``.

Removed for good means the ticket row and everything that hangs on it: messages, history,
ratings, follows, sent mail, the raw incoming mail that made its messages, and the attachments'
files in their storage (deleted after the rows are committed, so a rollback loses no file).
"""

import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import access
from .conf import support_settings
from .models import Attachment, InboundEmail, Ticket
from .models.attachments import attachment_storage
from .workflows.changes import TicketChange
from .workflows.engine import WorkflowError, lock

# Small: each deleted message costs PostgreSQL a scan of the history and stored mail (their
# foreign keys to messages have no index, docs/performance.md), so a batch is a short
# transaction rather than one long one.
BATCH = 20


def may_manage(user):
    return access.is_agent(user) and user.has_perm("wagtail_support.manage_trash")


def trashed_tickets(user):
    """What ``user`` finds in the trash: the deleted tickets they would see alive, if they may
    manage the trash at all."""
    return access.visible_tickets(user, trashed=True)


def restore(ticket, actor):
    """Puts a deleted ticket back where it was (its state, assignment and lists)."""
    if not may_manage(actor):
        raise PermissionDenied
    with transaction.atomic():
        locked = lock(ticket)
        if locked.deleted_at is None:
            raise WorkflowError(
                _("Ticket %(number)s is not in the trash.") % {"number": locked.number}
            )
        change = TicketChange(locked, actor)
        change.restore()
        change.save()
    return locked


def empty(actor, ids=None):
    """Removes for good the trashed tickets ``actor`` may manage (only ``ids`` of them, if
    given); the number removed."""
    if not may_manage(actor):
        raise PermissionDenied
    tickets = trashed_tickets(actor)
    if ids is not None:
        tickets = tickets.filter(pk__in=ids)
    return purge(tickets)


def purge_expired(now=None, days=None):
    """Removes for good what has been in the trash longer than ``WAGTAIL_SUPPORT_TRASH_DAYS``
    (the periodic job); the number removed."""
    days = support_settings.TRASH_DAYS if days is None else days
    if days is None:
        return 0
    before = (now or timezone.now()) - datetime.timedelta(days=days)
    # Served by the partial index ws_ticket_trash.
    return purge(Ticket.objects.trashed().filter(deleted_at__lt=before))


def purge(tickets, batch=BATCH):
    """Deletes ``tickets`` (trashed ones only, whatever the queryset says) with all they hold,
    ``batch`` tickets per short transaction; the number deleted."""
    due = tickets.filter(deleted_at__isnull=False).order_by("deleted_at", "pk")
    done = 0
    while True:
        with transaction.atomic():
            # skip_locked: a ticket being restored this moment waits for the next run.
            ids = list(due.select_for_update(skip_locked=True).values_list("pk", flat=True)[:batch])
            if ids:
                _remove(ids)
        done += len(ids)
        if len(ids) < batch:
            return done


def _remove(ids):
    files = list(Attachment.objects.filter(ticket__in=ids).values_list("file", flat=True))
    # Raw mail outlives a ticket otherwise (its link is only set to null): it is the customer's
    # words too, and goes with the ticket.
    InboundEmail.objects.filter(ticket__in=ids).delete()
    Ticket.objects.filter(pk__in=ids).delete()
    transaction.on_commit(lambda: _delete_files(files))


def _delete_files(names):
    storage = attachment_storage()
    for name in names:
        if name:
            storage.delete(name)
