"""Cursor pages for posts (newest first) and for comments and replies (oldest first)."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from tangerine.core.pagination import CursorPagination


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
