"""Pages of a ticket list whose count stops at a limit.

Counting a long list reads every matching ticket (at 100,000 tickets, the inbox's whole index),
where a page needs 25 of them. So one query takes the ids of the first ``limit`` + 1 tickets in the
list's order: a common list walks its order index and stops there, a rare one is read from its own
index and sorted. Up to the limit the count is exact; beyond it the list says "more than", and each
page beyond the limit is read on its own, one row more than a page to know whether another follows.
``Page.object_list`` holds ids, not tickets: the view loads the page's rows.
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
    def ids(self):
        return list(self.object_list.values_list("pk", flat=True)[: self.limit + 1])

    @cached_property
    def count(self):
        return len(self.ids)

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
        if top < len(self.ids) or not self.capped:
            if not self.capped and top + self.orphans >= self.count:
                top = self.count
            ids, more = self.ids[bottom:top], top < len(self.ids)
        else:
            rows = list(self.object_list.values_list("pk", flat=True)[bottom : top + 1])
            if not rows:
                raise EmptyPage(gettext("That page contains no results"))
            ids, more = rows[: self.per_page], len(rows) > self.per_page
        if self.capped:
            self._reached = max(getattr(self, "_reached", 0), number + 1 if more else number)
        return self._get_page(ids, number, self)

    @cached_property
    def items_count_label(self):
        if self.capped:
            limit = number_format(self.limit, force_grouping=True)
            return gettext("more than %(count)s tickets") % {"count": limit}
        return super().items_count_label
