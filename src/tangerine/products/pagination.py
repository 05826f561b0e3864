"""Keyset (cursor) pages over any ordering of products, ties included.

DRF's ``CursorPagination`` keeps only the first ordering field in the cursor and skips ties with
an offset; sorting by price or popularity has many ties, and an offset shifts when rows move.
Here the cursor holds the last row's value of *every* ordering field (the last one is unique,
the primary key), and the next page is the rows strictly after that tuple, so a page never skips
or repeats a row, whatever the sort. Forward only: ``previous`` is always null (infinite scroll).
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.db.models import Model, Q, QuerySet
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.utils.urls import replace_query_param

from tangerine.core.pagination import MAX_PAGE_SIZE, page_size_from

DEFAULT_PAGE_SIZE = 20


# A cursor's integers must fit the database's 64-bit columns (a larger one is not a 500).
_INT_MIN, _INT_MAX = -(2**63), 2**63 - 1
_TEXT_MAX = 64


@dataclass(frozen=True)
class Key:
    """One ordering field: ``attr`` is read from the row (a field or an annotation), an
    integer unless ``is_datetime`` or ``is_text`` says otherwise (a cursor's value is checked
    against it)."""

    attr: str
    descending: bool = False
    is_datetime: bool = False
    is_text: bool = False

    @property
    def order_by(self) -> str:
        return f"-{self.attr}" if self.descending else self.attr


def _encode(values: list[Any]) -> str:
    raw = json.dumps([v.isoformat() if isinstance(v, datetime) else v for v in values])
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _value(key: Key, value: Any) -> Any:
    """A cursor's value for ``key``, or ValueError: the cursor is the client's to edit, and a
    value of the wrong type would fail in the database."""
    if key.is_datetime:
        if not isinstance(value, str):
            raise ValueError
        moment = datetime.fromisoformat(value)
        if moment.tzinfo is None:  # the cursors written here always carry the offset
            raise ValueError
        return moment.astimezone(UTC)  # OverflowError at the ends of the calendar
    if key.is_text:
        if not isinstance(value, str) or len(value) > _TEXT_MAX or "\x00" in value:
            raise ValueError
        value.encode()  # a lone surrogate is no text a database takes (UnicodeEncodeError)
        return value
    if type(value) is not int or not _INT_MIN <= value <= _INT_MAX:
        raise ValueError
    return value


def _decode(cursor: str, keys: tuple[Key, ...]) -> list[Any]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        values = json.loads(raw)
        if not isinstance(values, list) or len(values) != len(keys):
            raise ValueError
        return [_value(key, v) for key, v in zip(keys, values, strict=True)]
    except (ValueError, TypeError, OverflowError, binascii.Error) as exc:
        raise NotFound("Invalid cursor.") from exc


def after(keys: tuple[Key, ...], values: list[Any]) -> Q:
    """Rows strictly after ``values`` in the ordering ``keys`` (lexicographic)."""
    condition = Q(pk__in=[])
    for i, key in enumerate(keys):
        step = Q(**{f"{key.attr}__{'lt' if key.descending else 'gt'}": values[i]})
        for prev, value in zip(keys[:i], values[:i], strict=True):
            step &= Q(**{prev.attr: value})
        condition |= step
    return condition


# A page's rows: the cursor's values (None on the first page) and how many rows at most.
PageReader = Callable[[list[Any] | None, int], list[Any]]


def queryset_reader(qs: QuerySet[Any], keys: tuple[Key, ...]) -> PageReader:
    """The rows of ``qs`` ordered by ``keys``, after a cursor's values, through the ORM."""

    def read(values: list[Any] | None, limit: int) -> list[Any]:
        page = qs if values is None else qs.filter(after(keys, values))
        return list(page.order_by(*(key.order_by for key in keys))[:limit])

    return read


def keyset_page(
    request: Request, source: QuerySet[Any] | PageReader, *, keys: tuple[Key, ...]
) -> tuple[list[Any], str | None]:
    """One page of ``source`` ordered by ``keys`` and the absolute link of the next page (or
    None). ``source`` is a queryset, or a ``PageReader`` that reads the same rows another way
    (``selectors.product_page``: compiled once per shape).

    ``?cursor=`` continues after a previous page; ``?page_size=`` (1 … 100, default 20).
    An unreadable cursor is a 404 (as DRF's cursor pagination answers). Queries: the page's own
    (one SELECT of ``page_size + 1`` rows), plus whatever ``qs`` prefetches.
    """
    size = page_size_from(request, default=DEFAULT_PAGE_SIZE, maximum=MAX_PAGE_SIZE)
    cursor = request.query_params.get("cursor")
    values = _decode(cursor, keys) if cursor else None
    read = queryset_reader(source, keys) if isinstance(source, QuerySet) else source
    rows = read(values, size + 1)
    next_url = None
    if len(rows) > size:
        rows = rows[:size]
        last: Model = rows[-1]
        next_values = [getattr(last, key.attr) for key in keys]
        next_url = replace_query_param(request.build_absolute_uri(), "cursor", _encode(next_values))
    return rows, next_url
