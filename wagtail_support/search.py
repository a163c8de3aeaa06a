"""Inbox search: which tickets a text finds.

A ticket matches when the text is its number (in any case), when the text is contained in the
customer's address (on the ticket, or their account's address, user name or name), or when every
word of the text, in any order, is a word of its subject, of the customer's name or of any of its
messages, internal notes included; the last word may be the beginning of one. A word holding "@"
is part of an address, not a word to look for.

On PostgreSQL the words are looked up in the ticket's full-text document (``search_document``, a
``tsvector`` that triggers keep, migration 0022) through its GIN index, the rest through the
indexes of those columns, all as one condition on the ticket table, which the inbox counts and
pages like any list (``paging.CappedPaginator``): a page of a common word walks the inbox's order
index, a rare one is read from the GIN index and sorted. Elsewhere (SQLite) each word is found
with "contains" in the same columns.
"""

from django.contrib.auth import get_user_model
from django.db import connections
from django.db.models import BooleanField, Expression, Q

from .models import Message, Ticket

# Longer texts are cut: nobody types more, and each word costs the queries a condition.
MAX_TEXT = 200
# A shorter last word matches only itself: as a prefix it would match a large part of the words.
MIN_PREFIX = 3


def search(queryset, text):
    """``queryset`` (of tickets) narrowed to those ``text`` finds."""
    text = " ".join(text.split())[:MAX_TEXT]
    if not text:
        return queryset
    if connections[queryset.db].vendor == "postgresql":
        return queryset.filter(_postgresql_condition(text, queryset.db))
    return queryset.filter(_condition(text))


def words_of(text):
    return [word for word in text.split() if "@" not in word]


def customer_ticket_ids(text):
    """Ids of tickets whose customer's address or name (as written on the ticket, or of their
    account) contains ``text``: a union of parts each served by an index on PostgreSQL."""
    first, *rest = _customer_parts(text)
    return first.union(*rest)


def _accounts(text):
    return get_user_model().objects.filter(
        Q(email__icontains=text)
        | Q(username__icontains=text)
        | Q(first_name__icontains=text)
        | Q(last_name__icontains=text)
    )


def _customer_parts(text):
    # No ordering in the parts: a union needs none, and each would cost a sort.
    tickets = Ticket.objects.order_by().values_list("pk", flat=True)
    return [
        tickets.filter(customer_email__icontains=text),
        tickets.filter(customer_name__icontains=text),
        tickets.filter(customer__in=_accounts(text).values("pk")),
    ]


def _postgresql_condition(text, using):
    """One condition on the ticket's own columns, each part of it served by an index, so the
    planner can combine them (a BitmapOr) or check them row by row along the list's order.

    The words are split into lexemes by PostgreSQL itself, in the same statement that finds the
    matching accounts: the query then carries them as constants, which the planner weighs against
    the document's statistics (a common word walks the order index, a rare one reads the GIN
    index); the accounts' ids, found once, spare each of the page's queries a scan of the users.
    """
    accounts = _accounts(text).order_by().values("pk").query
    accounts_sql, accounts_params = accounts.get_compiler(using).as_sql()
    with connections[using].cursor() as cursor:
        cursor.execute(
            "SELECT ARRAY(SELECT lexeme FROM unnest(to_tsvector('simple'::regconfig, %s)) "
            f"ORDER BY positions[cardinality(positions)]), ARRAY({accounts_sql})",
            [" ".join(words_of(text)), *accounts_params],
        )
        lexemes, account_ids = cursor.fetchone()
    condition = Q(number__in=[text, text.upper()]) | Q(customer_email__icontains=text)
    if account_ids:
        condition |= Q(customer__in=account_ids)
    if lexemes:
        condition |= Q(DocumentMatches(_tsquery(lexemes)))
    return condition


def _tsquery(lexemes):
    """Every lexeme, the last one (the word being typed) as a prefix. Only the last: a prefix
    reads the index entries of every word it begins, many times the cost of one word's."""
    quoted = ["'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'" for lexeme in lexemes]
    if len(lexemes[-1]) >= MIN_PREFIX:
        quoted[-1] += ":*"
    return " & ".join(quoted)


class DocumentMatches(Expression):
    """The ticket's ``search_document`` matches ``tsquery``, a query of lexemes taken as they are
    (``::tsquery``; the document's words went through the same parser). The column is the
    triggers', not a model field: Django never loads it with a ticket or saves it back."""

    output_field = BooleanField()

    def __init__(self, tsquery, alias=None):
        super().__init__()
        self.tsquery = tsquery
        self.alias = alias

    def resolve_expression(self, query=None, *args, **kwargs):
        return DocumentMatches(self.tsquery, query.get_initial_alias())

    def relabeled_clone(self, change_map):
        return DocumentMatches(self.tsquery, change_map.get(self.alias, self.alias))

    def as_sql(self, compiler, connection):
        column = f"{connection.ops.quote_name(self.alias)}.search_document"
        return f"{column} @@ %s::tsquery", [self.tsquery]


def _condition(text):
    """Every word in the subject, the customer's name or a message, by "contains"."""
    condition = Q(number__in=[text, text.upper()]) | Q(pk__in=customer_ticket_ids(text))
    words = words_of(text)
    if words:
        tickets = Ticket.objects.order_by().values_list("pk", flat=True)
        messages = Message.objects.order_by().values_list("ticket_id", flat=True)
        every_word = Q()
        for word in words:
            every_word &= Q(
                pk__in=tickets.filter(
                    Q(subject__icontains=word) | Q(customer_name__icontains=word)
                ).union(messages.filter(text__icontains=word))
            )
        condition |= every_word
    return condition
