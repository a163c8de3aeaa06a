"""The inbox's rows written as strings, with what repeats from row to row worked out once per
page: the ticket link's prefix, translated units and labels, the parts of dates shared by rows.

A 100-row page used to spend most of its time here, in ``format_html`` and its lazy wrappers,
``date_format`` (which looks its format up and parses it for every date), ``timesince`` (which
translates its units for every date) and ``reverse`` (for every row). The markup is the same as
Wagtail's cells and our templates wrote: tests compare it cell by cell with those functions.
"""

import html

from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import DateFormat, re_formatchars
from django.utils.formats import get_format
from django.utils.html import avoid_wrapping
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.timesince import TIME_STRINGS, timesince, timeuntil
from django.utils.translation import get_language, gettext
from wagtail.admin.ui.tables import Column, DateColumn, Table, TitleColumn

from ..models import Priority


def esc(value):
    """``conditional_escape``'s text, as a plain string: each value is escaped once, and the
    row is joined from plain strings rather than ``SafeString``s through lazy wrappers."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


class _Unit:
    """One of ``timesince``'s units, translated once per number on a page."""

    def __init__(self, lazy):
        self.lazy, self.texts = lazy, {}

    def __mod__(self, params):
        num = params["num"]
        text = self.texts.get(num)
        if text is None:
            text = self.texts[num] = self.lazy % params
        return text


# Format characters by what they read: a date's, a time of day's, or (the time zone, the whole
# moment) the value's as a whole. Django's ``DateFormat`` writes each; a part is kept per date
# or per time of day, which rows of a page share.
_DATE_CHARS = frozenset("bdDEFjlLmMnNoStwWyYz")
_TIME_CHARS = frozenset("aAfgGhHiPsu")


def _kind(char):
    if char in _DATE_CHARS:
        return "date"
    if char in _TIME_CHARS:
        return "time"
    return "whole"


# Texts of runs, by language, run and date or time of day: a pure function of those (the
# translations and formats of a language don't change while a process runs), over a small
# domain (1,440 minutes of a day, the dates tickets carry). Cleared when it grows past a bound.
_RUN_TEXTS = {}
_RUN_TEXTS_MAX = 20000


class DateTexts:
    """``date_format(value, name)`` for many values: the format is looked up and split once,
    into runs of characters of one kind; each run's text is kept for its date or time of day."""

    def __init__(self, name="DATETIME_FORMAT"):
        pieces = re_formatchars.split(str(get_format(name)))
        runs = []  # [kind, format text]; text between characters stays with the one before
        for index, piece in enumerate(pieces):
            if not index % 2:
                if piece and runs:
                    runs[-1][1] += piece
                elif piece:
                    runs.append([None, piece])
                continue
            kind = _kind(piece)
            if runs and runs[-1][0] in (None, kind):
                runs[-1][0] = kind
                runs[-1][1] += piece
            else:
                runs.append([kind, piece])
        # A run of text alone is the same for every value: kept as if it were a date's.
        self.runs = [(kind or "date", text, self._key(kind or "date", text)) for kind, text in runs]
        self.language = get_language()
        if len(_RUN_TEXTS) > _RUN_TEXTS_MAX:
            _RUN_TEXTS.clear()

    @staticmethod
    def _key(kind, text):
        chars = set(re_formatchars.findall(text))
        if kind == "date":
            return lambda value: value.date()
        if kind == "time":
            if "u" in chars:
                return lambda value: value.time()
            if "s" in chars:
                return lambda value: (value.hour, value.minute, value.second)
            return lambda value: (value.hour, value.minute)
        return lambda value: value

    def __call__(self, value):
        parts, language = [], self.language
        for kind, text, key in self.runs:
            if kind == "whole":
                parts.append(DateFormat(value).format(text))
                continue
            cache_key = (language, text, key(value))
            part = _RUN_TEXTS.get(cache_key)
            if part is None:
                part = _RUN_TEXTS[cache_key] = DateFormat(value).format(text)
            parts.append(part)
        return "".join(parts)


# Wagtail's own texts for its "time since" (``timesince_simple``), looked up in its catalog
# under another name so that ``makemessages`` does not copy them into ours.
wagtail_text = gettext
_MARKER = 2147483647  # a ticket id no desk reaches, replaced by each row's


class Page:
    """What the rows of one page share, worked out once for the page."""

    def __init__(self):
        self.now = timezone.now()
        url = reverse("support_desk:ticket", args=[_MARKER])
        head, _marker, tail = url.partition(str(_MARKER))
        self.url_head, self.url_tail = esc(head), esc(tail)
        self.dates = DateTexts("DATETIME_FORMAT")
        self.units = {name: _Unit(text) for name, text in TIME_STRINGS.items()}
        self.zero = avoid_wrapping(wagtail_text("0 minutes"))
        self.just_now = wagtail_text("just now")
        self.ago = wagtail_text("%(time_period)s ago")
        self.overdue_by = gettext("overdue by %(time)s")
        self.in_time = gettext("in %(time)s")
        self.paused = esc(gettext("paused"))
        self.priorities = {value: esc(label) for value, label in Priority.choices}
        self.simple, self.states, self.people = {}, {}, {}

    def url(self, ticket):
        return f"{self.url_head}{ticket.pk}{self.url_tail}"

    def since(self, value):
        """Django's ``timesince`` of a value, its units translated once per page."""
        return timesince(value, self.now, time_strings=self.units)

    def until(self, value):
        return timeuntil(value, self.now, time_strings=self.units)

    def since_simply(self, value):
        """Wagtail's ``timesince_simple`` with a capital, escaped: "3 days ago"."""
        period = self.since(value).split(",")[0]
        text = self.simple.get(period)
        if text is None:
            simple = self.just_now if period == self.zero else self.ago % {"time_period": period}
            text = self.simple[period] = esc(capfirst(simple))
        return text

    def state(self, state):
        """A state's badge, written once per state on the page."""
        text = self.states.get(state.pk)
        if text is None:
            color = esc(state.color)
            text = self.states[state.pk] = (
                f'<span class="ws-state" style="border-color: {color}; color: {color}">'
                f"{esc(state.name)}</span>"
            )
        return text

    def person(self, user):
        if user is None:
            return ""
        text = self.people.get(user.pk)
        if text is None:
            text = self.people[user.pk] = esc(user)
        return text

    def customer(self, ticket):
        if ticket.customer_id:
            text = self.people.get(("customer", ticket.customer_id))
            if text is None:
                text = esc(ticket.customer_display)
                self.people[("customer", ticket.customer_id)] = text
            return text
        return esc(ticket.customer_display)


# The columns: Wagtail's, for their headers and sorting links; each writes its cell as a string
# with the page's shared parts (``Page``). ``render_cell_html`` serves anything else that asks.


class _Cell:
    def render_cell_html(self, instance, parent_context):
        page = (parent_context or {}).get("inbox_page") or Page()
        return mark_safe(self.cell(instance, page))


class TextColumn(_Cell, Column):
    def cell(self, ticket, page):
        value = self.get_value(ticket)
        return f"<td>{'' if value is None else esc(value)}</td>"


class CustomerColumn(_Cell, Column):
    def cell(self, ticket, page):
        return f"<td>{page.customer(ticket)}</td>"


class AssigneeColumn(_Cell, Column):
    def cell(self, ticket, page):
        return f"<td>{page.person(ticket.assignee)}</td>"


class NumberColumn(_Cell, TitleColumn):
    """The ticket's number, linking to its page."""

    def cell(self, ticket, page):
        return (
            f'<td class="title"><div class="title-wrapper"><a href="{page.url(ticket)}">'
            f"{esc(ticket.number)}</a></div></td>"
        )


class WhenColumn(_Cell, DateColumn):
    """A date as Wagtail's human-readable date: time since, the full date as a tooltip."""

    def cell(self, ticket, page):
        value = self.get_value(ticket)
        if not value:
            return "<td></td>"
        return (
            '<td><button type="button" class="w-human-readable-date" data-controller="w-tooltip"'
            f' data-w-tooltip-content-value="{esc(page.dates(value))}"'
            ' data-w-tooltip-placement-value="top">'
            f'<time class="w-human-readable-date__date" datetime="{value.isoformat()}">'
            f"{page.since_simply(value)}</time></button></td>"
        )


class PriorityColumn(_Cell, Column):
    def cell(self, ticket, page):
        return f"<td>{page.priorities.get(ticket.priority, '')}</td>"


class StateColumn(_Cell, Column):
    def cell(self, ticket, page):
        return f"<td>{page.state(ticket.state)}</td>"


class DueColumn(_Cell, Column):
    """Time left before the ticket's earliest SLA target, or how long it is overdue (R-DK8)."""

    def cell(self, ticket, page):
        if ticket.sla_paused:
            return f'<td><span class="ws-due ws-due--paused">{page.paused}</span></td>'
        due = ticket.sla_due
        if not due:
            return "<td></td>"
        if due <= page.now:
            text = esc(page.overdue_by % {"time": page.since(due)})
            return f'<td><span class="ws-due ws-due--overdue" title="{esc(due)}">{text}</span></td>'
        text = esc(page.in_time % {"time": page.until(due)})
        return f'<td><span class="ws-due" title="{esc(due)}">{text}</span></td>'


class SelectColumn(_Cell, Column):
    """A checkbox per row, bound to the bulk form above the table by its ``form`` attribute."""

    header_template_name = "wagtail_support/admin/select_header.html"

    def cell(self, ticket, page):
        return (
            f'<td><input type="checkbox" name="tickets" value="{ticket.pk}" form="ws-bulk"'
            f' aria-label="{esc(ticket.number)}"></td>'
        )


class InboxTable(Table):
    """Wagtail's table with its rows written as strings: its template renders an included
    template per row and a component tag per cell, which for 100 rows cost more than the
    cells themselves."""

    template_name = "wagtail_support/admin/inbox_table.html"

    def get_row_classname(self, ticket):
        return "ws-unread" if ticket.is_unread else ""

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        page = Page()
        columns = list(self.columns.values())
        rows = []
        for ticket in self.data:
            classname = self.get_row_classname(ticket)
            rows.append(f'<tr class="{classname}">' if classname else "<tr>")
            rows.extend(column.cell(ticket, page) for column in columns)
            rows.append("</tr>")
        context["body_html"] = mark_safe("".join(rows))
        return context


def list_items(tickets, page=None):
    """The list view's items, as its template wrote them."""
    page = page or Page()
    items = []
    for ticket in tickets:
        unread = "ws-unread" if ticket.is_unread else ""
        excerpt = ticket.last_excerpt
        items.append(
            f'<li class="{unread}">'
            f'<a href="{page.url(ticket)}"><strong>{esc(ticket.number)}</strong>'
            f" {esc(ticket.subject)}</a>"
            f" {page.state(ticket.state)}"
            f' <span class="ws-meta">{page.customer(ticket)} · '
            f"{page.priorities.get(ticket.priority, '')} · "
            f"{esc(page.since(ticket.last_activity_at)) if ticket.last_activity_at else ''}</span>"
            + (f' <p class="ws-excerpt">{esc(excerpt)}</p>' if excerpt else "")
            + "</li>"
        )
    return mark_safe("\n".join(items))


def board_cards(tickets, page=None):
    """A board column's cards, as its template wrote them."""
    page = page or Page()
    cards = []
    for ticket in tickets:
        unread = " ws-unread" if ticket.is_unread else ""
        cards.append(
            f'<a class="ws-card{unread}" href="{page.url(ticket)}">'
            f"<strong>{esc(ticket.number)}</strong> {esc(ticket.subject)}"
            f' <span class="ws-meta">{page.customer(ticket)} · '
            f"{page.priorities.get(ticket.priority, '')}</span></a>"
        )
    return mark_safe("\n".join(cards))
