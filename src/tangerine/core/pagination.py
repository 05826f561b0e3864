"""Pagination: cursor pages for feeds and infinite scroll, numbered pages elsewhere."""

from __future__ import annotations

from rest_framework import pagination

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
