"""Human-readable ticket numbers: prefix + a sequence per prefix, e.g. ``WEB-1042``."""

from django.db import transaction

from .models import TicketCounter


def next_number(prefix):
    """Takes the next number under ``prefix``. Call it inside the transaction that creates the
    ticket: the counter row stays locked until that transaction ends, so concurrent creations
    queue up on it and never share a number, and a rollback gives the number back."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("next_number() must run inside the ticket's transaction")
    # Creates the row on first use without racing: a concurrent insert is ignored, not an error.
    TicketCounter.objects.bulk_create([TicketCounter(prefix=prefix)], ignore_conflicts=True)
    counter = TicketCounter.objects.select_for_update().get(prefix=prefix)
    counter.last_value += 1
    counter.save(update_fields=["last_value"])
    return f"{prefix}{counter.last_value}"
