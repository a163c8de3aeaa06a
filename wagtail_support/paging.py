"""Pages of a ticket list whose count stops at a limit.

Counting a long list reads every matching ticket (at 100,000 tickets, the inbox's whole index,
or the whole table for a condition no index serves), where a page needs 25 of them. So the count
stops at ``limit`` + 1: without an order, the planner finds any ``limit`` + 1 matches the
cheapest way it knows (a few pages of an index, or the first part of the table) and stops. Up to
the limit the count is exact; beyond it the list says "more than", and the page query, in the
list's order, takes one row more than a page to know whether another follows, so agents page on
past the limit. ``Page.object_list`` holds ids, not tickets: the view loads the page's rows.
"""

import math

from django.core.paginator import EmptyPage, PageNotAnInteger
from django.utils.formats import number_format
from django.utils.functional import cached_property
from django.utils.translation import gettext
from wagtail.admin.paginator import WagtailPaginator


class CappedPaginator(WagtailPaginator):
    limit = 1000

    @cached_property
    def count(self):
        # Sliced, Django counts in a subquery: SELECT COUNT(*) FROM (… LIMIT 1001).
        return self.object_list.order_by().values("pk")[: self.limit + 1].count()

    @property
    def capped(self):
        return self.count > self.limit

    @property
    def num_pages(self):
        # Past the limit the last page is unknown: the pages reached so far, and one more while
        # there is more.
        if self.capped:
            return max(math.ceil(self.limit / self.per_page), getattr(self, "_reached", 0))
        return super().num_pages

    def validate_number(self, number):
        if not self.capped:
            return super().validate_number(number)
        try:
            number = int(number)
        except (TypeError, ValueError):
            raise PageNotAnInteger(gettext("That page number is not an integer")) from None
        if number < 1:
            raise EmptyPage(gettext("That page number is less than 1"))
        return number

    def get_page(self, number):
        try:
            return super().get_page(number)
        except EmptyPage:  # past the end of a list longer than the limit: its last known page
            return self.page(self.num_pages)

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if not self.capped and top + self.orphans >= self.count:
            top = self.count
        ids = []
        if self.count:
            ids = list(self.object_list.values_list("pk", flat=True)[bottom : top + 1])
        if not ids and number > 1:
            raise EmptyPage(gettext("That page contains no results"))
        more = len(ids) > top - bottom
        if self.capped:
            self._reached = max(getattr(self, "_reached", 0), number + 1 if more else number)
        return self._get_page(ids[: top - bottom], number, self)

    @cached_property
    def items_count_label(self):
        if self.capped:
            limit = number_format(self.limit, force_grouping=True)
            return gettext("more than %(count)s tickets") % {"count": limit}
        return super().items_count_label
