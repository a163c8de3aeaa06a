"""The inbound pipeline's two reads of every e-mail, written as SQL and compiled once per process:
the ORM took longer to compile them (the stored mail's twenty columns and a lock; the sources
with two subqueries) than the database to answer them.

Rows become model instances with the same conversions the ORM applies (``from_db`` after each
column's converters: SQLite's booleans and dates, JSON), so callers see what a queryset gives.
"""

from django.db import transaction
from django.db.models.expressions import Col

from ..models import BlockedSender, InboundEmail, Message, Source

_compiled = {}


class ModelRows:
    """A model's concrete columns: their SQL, and the instances made from result rows."""

    def __init__(self, model, connection):
        self.model = model
        self.alias = connection.alias
        self.connection = connection
        quote = connection.ops.quote_name
        self.table = quote(model._meta.db_table)
        fields = model._meta.concrete_fields
        self.columns = ", ".join(f"{self.table}.{quote(field.column)}" for field in fields)
        self.attnames = [field.attname for field in fields]
        self.converters = [
            (index, converters)
            for index, field in enumerate(fields)
            if (
                converters := [
                    *connection.ops.get_db_converters(Col(model._meta.db_table, field)),
                    *field.get_db_converters(connection),
                ]
            )
        ]

    def instance(self, row):
        row = list(row[: len(self.attnames)])
        for index, converters in self.converters:
            for converter in converters:
                row[index] = converter(row[index], None, self.connection)
        return self.model.from_db(self.alias, self.attnames, row)


def blocked_patterns(sender):
    """The two blocklist patterns that block ``sender`` (BlockedSender.objects.matching()): the
    address itself and its domain; None for a text without "@", which nothing blocks."""
    email = (sender or "").strip().lower()
    return [email, "@" + email.rsplit("@", 1)[1]] if "@" in email else None


def _statements(connection):
    key = (connection.alias, connection.vendor)
    if key not in _compiled:
        quote = connection.ops.quote_name
        sources, stored = ModelRows(Source, connection), ModelRows(InboundEmail, connection)
        blocked = quote(BlockedSender._meta.db_table)
        pattern = quote(BlockedSender._meta.get_field("pattern").column)
        message = quote(Message._meta.db_table)
        message_id = quote(Message._meta.get_field("email_message_id").column)
        source_pk = f"{sources.table}.{quote(Source._meta.pk.column)}"
        first = (
            f"SELECT {sources.columns}, "
            f"EXISTS (SELECT 1 FROM {blocked} WHERE {pattern} IN (%s, %s)), "
            f"(SELECT {quote(Message._meta.pk.column)} FROM {message} "
            f"WHERE {message_id} = %s LIMIT 1) "
            f"FROM {sources.table} ORDER BY {sources.table}.{quote('name')}, {source_pk}"
        )
        lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
        stored_pk = f"{stored.table}.{quote(InboundEmail._meta.pk.column)}"
        locked = f"SELECT {stored.columns} FROM {stored.table} WHERE {stored_pk} = %s{lock}"
        # PostgreSQL: the commit of this transaction only need not wait for the disk (see
        # inbound._commit_without_waiting), said in the statement that locks the row.
        unflushed = (
            f"SELECT {stored.columns}, set_config('synchronous_commit', 'off', true) "
            f"FROM {stored.table} WHERE {stored_pk} = %s{lock}"
        )
        _compiled[key] = {
            "sources": sources,
            "stored": stored,
            "first": first,
            "locked": locked,
            "unflushed": unflushed if connection.vendor == "postgresql" else locked,
        }
    return _compiled[key]


def first_reads(sender, message_id):
    """(every source in name order, whether ``sender`` is on the blocklist, the id of the
    message already made from ``message_id`` or None) in one round trip: the two answers ride
    along on each source row (an uncorrelated subquery is computed once). None when there is
    no source to carry them."""
    patterns = blocked_patterns(sender)
    connection = transaction.get_connection()
    statements = _statements(connection)
    with connection.cursor() as cursor:
        cursor.execute(statements["first"], [*(patterns or ["", ""]), message_id or ""])
        rows = cursor.fetchall()
    if not rows:
        return None
    sources = [statements["sources"].instance(row) for row in rows]
    return sources, patterns is not None and bool(rows[0][-2]), rows[0][-1]


def locked_inbound(inbound_id, *, unflushed=False):
    """The stored e-mail ``inbound_id``, its row locked until the transaction ends
    (InboundEmail.DoesNotExist if there is none). ``unflushed``: the transaction's commit is
    also told not to wait for the disk (PostgreSQL), in the same statement."""
    connection = transaction.get_connection()
    statements = _statements(connection)
    with connection.cursor() as cursor:
        cursor.execute(statements["unflushed" if unflushed else "locked"], [inbound_id])
        row = cursor.fetchone()
    if row is None:
        raise InboundEmail.DoesNotExist(f"no stored e-mail {inbound_id}")
    return statements["stored"].instance(row)
