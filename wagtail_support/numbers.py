"""Human-readable ticket numbers: prefix + a sequence per prefix, e.g. ``WEB-1042``."""

from django.db import connection, transaction

from .models import TicketCounter

# One statement takes the next number: it creates the counter on first use and otherwise bumps
# it, holding the row lock until the ticket's transaction ends. (PostgreSQL and SQLite 3.35+.)
_UPSERT = (
    "INSERT INTO {table} (prefix, last_value) VALUES (%s, 1) "
    "ON CONFLICT (prefix) DO UPDATE SET last_value = {table}.last_value + 1 "
    "RETURNING last_value"
)


def next_number(prefix):
    """Takes the next number under ``prefix``. Call it inside the transaction that creates the
    ticket: the counter row stays locked until that transaction ends, so concurrent creations
    queue up on it and never share a number, and a rollback gives the number back."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("next_number() must run inside the ticket's transaction")
    if _has_upsert_returning():
        table = connection.ops.quote_name(TicketCounter._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(_UPSERT.format(table=table), [prefix])
            (value,) = cursor.fetchone()
        return f"{prefix}{value}"
    # Creates the row on first use without racing: a concurrent insert is ignored, not an error.
    TicketCounter.objects.bulk_create([TicketCounter(prefix=prefix)], ignore_conflicts=True)
    counter = TicketCounter.objects.select_for_update().get(prefix=prefix)
    counter.last_value += 1
    counter.save(update_fields=["last_value"])
    return f"{prefix}{counter.last_value}"


def _has_upsert_returning():
    if connection.vendor == "postgresql":
        return True
    if connection.vendor == "sqlite":
        import sqlite3

        return sqlite3.sqlite_version_info >= (3, 35)
    return False
