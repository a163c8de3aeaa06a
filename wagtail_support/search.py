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
# Ids a customer part of the text is resolved into; past this many it stays a condition.
MAX_IDS = 1000
# A word in at most this many tickets is handed to the planner as their ids (``_rare_ids``);
# of the text's words, the longest few are looked up.
RARE = 100
CHECKED_LEXEMES = 3


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

    What the text finds among the customers is resolved here, once per request, into ids: the
    accounts it matches, and the tickets whose address contains it (the address's trigram
    index, whose look-up reads the trigrams every address shares, is then read once rather
    than by the count and again by the page). The words are split into lexemes by PostgreSQL
    itself, in the same statement; the query carries them as constants, which the planner
    weighs against the document's statistics (a common word walks the order index). A word the
    statistics do not know is estimated at 500 tickets whatever its real count, and the page
    then walks the whole order index for a word no ticket holds: ``_rare_ids`` tells those
    apart and hands the planner their ids.
    """
    accounts = _accounts(text).order_by().values("pk")[: MAX_IDS + 1].query
    accounts_sql, accounts_params = accounts.get_compiler(using).as_sql()
    addressed = Ticket.objects.filter(customer_email__icontains=text).order_by()
    addressed_sql, addressed_params = (
        addressed.values("pk")[: MAX_IDS + 1].query.get_compiler(using).as_sql()
    )
    with connections[using].cursor() as cursor:
        cursor.execute(
            "SELECT ARRAY(SELECT lexeme FROM unnest(to_tsvector('simple'::regconfig, %s)) "
            f"ORDER BY positions[cardinality(positions)]), ARRAY({accounts_sql}), "
            f"ARRAY({addressed_sql})",
            [" ".join(words_of(text)), *accounts_params, *addressed_params],
        )
        lexemes, account_ids, addressed_ids = cursor.fetchone()
    condition = Q(number__in=[text, text.upper()])
    if len(addressed_ids) > MAX_IDS:  # a part of many addresses: as a condition, in its order
        condition |= Q(customer_email__icontains=text)
    elif addressed_ids:
        condition |= Q(pk__in=addressed_ids)
    if len(account_ids) > MAX_IDS:
        condition |= Q(customer__in=_accounts(text).values("pk"))
    elif account_ids:
        condition |= Q(customer__in=account_ids)
    if lexemes:
        document = Q(DocumentMatches(_tsquery(lexemes)))
        rare = _rare_ids(lexemes, using)
        condition |= document if rare is None else Q(pk__in=rare) & document
    return condition


def _rare_ids(lexemes, using):
    """The tickets holding the rarest of the longest few lexemes, when at most ``RARE`` do; a
    ticket every lexeme matches is among them. ``None`` when each is in more tickets.

    Each look-up stops after ``RARE`` + 1 tickets, so a common word costs a few pages of the
    table (the planner knows it is common and reads it in order) and a rare one its few
    entries of the GIN index. The whole query of several common words, whose match may still
    be rare, is not looked up: intersecting their long entries costs what the count does.
    """
    last = len(lexemes) - 1
    longest = sorted(range(len(lexemes)), key=lambda i: -len(lexemes[i]))[:CHECKED_LEXEMES]
    queries = [_tsquery([lexemes[i]], prefix=i == last) for i in longest]
    table = connections[using].ops.quote_name(Ticket._meta.db_table)
    one = f"ARRAY(SELECT id FROM {table} WHERE search_document @@ %s::tsquery LIMIT {RARE + 1})"
    with connections[using].cursor() as cursor:
        cursor.execute("SELECT " + ", ".join([one] * len(queries)), queries)
        found = min(cursor.fetchone(), key=len)
    return found if len(found) <= RARE else None


def _tsquery(lexemes, prefix=True):
    """Every lexeme, the last one (the word being typed) as a prefix. Only the last: a prefix
    reads the index entries of every word it begins, many times the cost of one word's."""
    quoted = ["'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'" for lexeme in lexemes]
    if prefix and len(lexemes[-1]) >= MIN_PREFIX:
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
