"""Pagination: cursor pages for feeds and infinite scroll, numbered pages elsewhere."""

from __future__ import annotations

from typing import Any

from rest_framework import pagination, serializers
from rest_framework.request import Request
from rest_framework.utils.urls import remove_query_param, replace_query_param

MAX_PAGE_SIZE = 100


class CursorPagination(pagination.CursorPagination):
    """Keyset pagination over ``(created_at, id)``, newest first.

    The cursor encodes a position, not an offset, so new rows arriving while a user scrolls are
    neither skipped nor repeated. ``id`` breaks ties between equal timestamps.
    """

    ordering = ("-created_at", "-id")
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE


class PageNumberPagination(pagination.PageNumberPagination):
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE


class NewestFirstCursorPagination(CursorPagination):
    """Newest first over ``(created_at, id)``: feeds, latest posts, a user's comments, likes."""


class OldestFirstCursorPagination(CursorPagination):
    """Oldest first over ``(created_at, id)``: a conversation reads top-down, and new comments
    arrive at the end, so a reader scrolling down meets them last without skipping any."""

    ordering = ("created_at", "id")


_page_serializers: dict[str, type[serializers.Serializer[Any]]] = {}


def cursor_page_of(item: type[serializers.Serializer[Any]]) -> type[serializers.Serializer[Any]]:
    """A schema-only serializer ``{next, previous, results: [item]}`` for OpenAPI."""
    name = f"Cursor{item.__name__.removesuffix('Serializer')}PageSerializer"
    if name not in _page_serializers:
        _page_serializers[name] = type(
            name,
            (serializers.Serializer,),
            {
                "next": serializers.URLField(allow_null=True),
                "previous": serializers.URLField(allow_null=True),
                "results": item(many=True),
            },
        )
    return _page_serializers[name]


def page_links(
    request: Request, *, page: int, page_size: int, count: int, extra: dict[str, str] | None = None
) -> tuple[str | None, str | None]:
    """(next, previous) absolute links of a numbered page; ``extra`` query parameters are set
    on both (a search section pins its ``type``)."""
    url = request.build_absolute_uri()
    for key, value in (extra or {}).items():
        url = replace_query_param(url, key, value)
    next_url = replace_query_param(url, "page", page + 1) if page * page_size < count else None
    if page <= 1:
        previous = None
    elif page == 2:
        previous = remove_query_param(url, "page")
    else:
        previous = replace_query_param(url, "page", page - 1)
    return next_url, previous


def numbered_page(
    request: Request,
    *,
    page: int,
    page_size: int,
    count: int,
    results: Any,
    extra: dict[str, str] | None = None,
    **fields: Any,
) -> dict[str, Any]:
    """The body of a numbered page: ``{count, next, previous, **fields, results}``.

    ``results`` is already serialised; ``fields`` are the endpoint's own keys (``personal``,
    ``degraded``, ``page``...).
    """
    next_url, previous = page_links(
        request, page=page, page_size=page_size, count=count, extra=extra
    )
    return {"count": count, "next": next_url, "previous": previous, **fields, "results": results}
