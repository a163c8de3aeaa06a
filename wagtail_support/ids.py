"""Ids that arrive as text (query strings, form posts, JSON bodies): the one place that decides
what counts as one. ``str.isdigit()`` is not it: it accepts "²" and "٣", which ``int()`` then
refuses or reads as another number; and a number past the database's integer range makes SQLite
raise instead of matching nothing."""

import django_filters
from django import forms
from django.core.exceptions import ValidationError

MAX_ID = 2**63 - 1  # PostgreSQL's bigint and SQLite's INTEGER both stop here: 19 digits


def parse_id(value):
    """The positive id ``value`` spells in ASCII digits (or holds, as an int), else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    elif isinstance(value, str) and len(value) <= 19 and value.isascii() and value.isdigit():
        number = int(value)
    else:
        return None
    return number if 0 < number <= MAX_ID else None


def parse_ids(values):
    """The valid ids among ``values``, in order, without repeats; the rest are dropped."""
    return list(dict.fromkeys(number for number in map(parse_id, values) if number is not None))


class IdModelChoiceField(django_filters.fields.ModelChoiceField):
    """A model choice that refuses a value that is no id before it reaches the database."""

    def to_python(self, value):
        if (
            value not in self.empty_values
            and self.to_field_name is None
            and not isinstance(value, self.queryset.model)
            and parse_id(str(value)) is None
        ):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class CheckedIdsMixin:
    """For a multiple model choice: every value must be an id before the database sees it."""

    def _check_values(self, value):
        if self.to_field_name is None:
            for item in value:
                if not isinstance(item, self.queryset.model) and parse_id(str(item)) is None:
                    raise ValidationError(
                        self.error_messages["invalid_pk_value"],
                        code="invalid_pk_value",
                        params={"pk": item},
                    )
        return super()._check_values(value)


class IdModelMultipleChoiceField(CheckedIdsMixin, django_filters.fields.ModelMultipleChoiceField):
    pass


class IdsFormField(CheckedIdsMixin, forms.ModelMultipleChoiceField):
    """The same for a plain Django form."""


def checked_ids(filterset_class):
    """Class decorator: the filterset's model choice filters read their ids through the fields
    above, so "²" or a 20-digit number in a query string is a form error, not a server error."""
    for filter_ in filterset_class.base_filters.values():
        if isinstance(filter_, django_filters.ModelMultipleChoiceFilter):
            filter_.field_class = IdModelMultipleChoiceField
        elif isinstance(filter_, django_filters.ModelChoiceFilter):
            filter_.field_class = IdModelChoiceField
    return filterset_class
