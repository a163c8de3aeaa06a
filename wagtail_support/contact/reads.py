"""The contact form's one read before the form is built: the enabled source of the post and
whether its sender is on the blocklist, in one statement compiled once per process (the ORM's
compiling of the two queries cost more than the database's answering them)."""

from django.db import transaction

from ..mail.inbound_reads import ModelRows, blocked_patterns
from ..models import BlockedSender, Source

_compiled = {}


def _statement(connection):
    key = (connection.alias, connection.vendor)
    if key not in _compiled:
        quote = connection.ops.quote_name
        rows = ModelRows(Source, connection)
        blocked = quote(BlockedSender._meta.db_table)
        pattern = quote(BlockedSender._meta.get_field("pattern").column)
        pk = f"{rows.table}.{quote(Source._meta.pk.column)}"
        sql = (
            f"SELECT {rows.columns}, "
            f"EXISTS (SELECT 1 FROM {blocked} WHERE {pattern} IN (%s, %s)) "
            f"FROM {rows.table} WHERE {rows.table}.{quote('slug')} = %s "
            f"AND {rows.table}.{quote('enabled')} = %s ORDER BY {pk} LIMIT 1"
        )
        _compiled[key] = (sql, rows)
    return _compiled[key]


def enabled_source(slug, sender):
    """(the enabled source ``slug`` or None, whether ``sender`` is blocked)."""
    connection = transaction.get_connection()
    sql, rows = _statement(connection)
    patterns = blocked_patterns(sender)
    with connection.cursor() as cursor:
        cursor.execute(sql, [*(patterns or ["", ""]), slug, True])
        row = cursor.fetchone()
    if row is None:
        return None, False
    return rows.instance(row), patterns is not None and bool(row[-1])
