"""Pagination: cursor pages for feeds and infinite scroll, numbered pages elsewhere."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from drf_spectacular.utils import OpenApiParameter
from rest_framework import exceptions, pagination, serializers
from rest_framework.request import Request
from rest_framework.utils.urls import remove_query_param, replace_query_param

MAX_PAGE_SIZE = 100


def page_size_from(request: Request, *, default: int, maximum: int = MAX_PAGE_SIZE) -> int:
    """``?page_size=``: the default when absent, at most ``maximum``; a 400 naming the
    parameter when it is not a whole number of at least 1, blank included (DRF ignored it
    silently, and read a blank one as absent, while the schema says integer)."""
    raw = request.query_params.get("page_size")
    if raw is None:
        return default
    try:
        size = int(raw)
    except ValueError:
        size = 0
    if size < 1:
        raise exceptions.ValidationError(
            {"page_size": [f"Enter a whole number from 1 to {maximum}."]}
        )
    return min(size, maximum)


# For views that declare their own parameters (custom paginators): the same rule in the schema.
PAGE_SIZE_PARAMETER = OpenApiParameter(
    "page_size",
    {"type": "integer", "minimum": 1},
    description=f"1 to {MAX_PAGE_SIZE} (default 20; more is capped).",
)


class _StrictPageSize:
    page_size: int
    max_page_size: int

    def get_page_size(self, request: Request) -> int:
        return page_size_from(request, default=self.page_size, maximum=self.max_page_size)

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        parameters: list[dict[str, Any]] = super().get_schema_operation_parameters(view)  # type: ignore[misc]
        for parameter in parameters:
            if parameter.get("name") == "page_size":
                parameter["schema"] = {**parameter.get("schema", {}), "minimum": 1}
        return parameters


class CursorPagination(_StrictPageSize, pagination.CursorPagination):
    """Keyset pagination over ``(created_at, id)``, newest first.

    The cursor encodes a position, not an offset, so new rows arriving while a user scrolls are
    neither skipped nor repeated. ``id`` breaks ties between equal timestamps.
    """

    ordering = ("-created_at", "-id")
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE


class PageNumberPagination(_StrictPageSize, pagination.PageNumberPagination):
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE
    last_page_strings = ()  # DRF's "last": not an integer, as the schema says a page is

    def get_page_number(self, request: Request, paginator: Any) -> Any:
        """``?page=``: DRF reads a blank one as page 1, while the schema says integer (at
        least 1): a blank page is a 400 naming the parameter. Other values stay DRF's (a page
        that is not a number, ``last`` included, or past the end is its 404)."""
        raw = request.query_params.get(self.page_query_param)
        if raw is not None and not raw.strip():
            raise exceptions.ValidationError({"page": ["Enter a whole number of at least 1."]})
        return super().get_page_number(request, paginator)

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter.get("name") == self.page_query_param:
                parameter["schema"] = {**parameter.get("schema", {}), "minimum": 1}
        return parameters


class NewestFirstCursorPagination(CursorPagination):
    """Newest first over ``(created_at, id)``: feeds, latest posts, a user's comments, likes."""


class OldestFirstCursorPagination(CursorPagination):
    """Oldest first over ``(created_at, id)``: a conversation reads top-down, and new comments
    arrive at the end, so a reader scrolling down meets them last without skipping any."""

    ordering = ("created_at", "id")


@dataclass(frozen=True)
class CursorWindow:
    """The rows a cursor page will read, known before the query is built: ordered by
    ``ordering`` (the paginator's, reversed for a backwards cursor), filtered by ``bound`` (the
    cursor's position on the first ordering field, strict; empty on a first page), at most
    ``limit`` of them (the cursor's offset + page size + 1).

    A selector that cannot let the database stop early through the outer query (the feed's
    per-author top rows) builds its inner reads from this; the paginator still filters and
    slices the outer query itself, so the page is exactly the one it would be without it."""

    ordering: tuple[str, ...]
    limit: int
    bound: dict[str, Any] = field(default_factory=dict)


class WindowedCursorPagination(NewestFirstCursorPagination):
    """``NewestFirstCursorPagination`` that also tells the view, before it builds its queryset,
    which rows the page will read (``window``)."""

    def window(self, request: Request) -> CursorWindow:
        """The page's ``CursorWindow``, by DRF's own rules (``paginate_queryset``); an invalid
        cursor is the same 404 as there."""
        ordering = tuple(self.ordering)
        page_size = self.get_page_size(request)
        cursor = self.decode_cursor(request)
        offset, reverse, position = cursor if cursor is not None else (0, False, None)
        bound: dict[str, Any] = {}
        if position is not None:
            first = ordering[0]
            lookup = "lt" if reverse != first.startswith("-") else "gt"
            bound = {f"{first.lstrip('-')}__{lookup}": position}
        return CursorWindow(
            ordering=tuple(_reversed(o) for o in ordering) if reverse else ordering,
            limit=offset + page_size + 1,
            bound=bound,
        )


def _reversed(order: str) -> str:
    return order[1:] if order.startswith("-") else f"-{order}"


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
