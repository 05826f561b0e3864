"""Output serializers whose output is one plain function (a *card*), and lists rendered by it.

DRF renders a list by building a ``ListSerializer`` and a child serializer (binding fields,
copying declared ones) and calling the child per row; for our hot read lists that machinery
cost more than the rows themselves once the request's other work had left the processor's
caches cold (issue 17: ~150 µs a page of posts, timed inside real requests). A serializer
that declares ``card = staticmethod(function)`` renders one instance with that function; its
declared fields stay, for the OpenAPI schema and for subclasses, which add fields of their own
and so go back to DRF's field walk. ``card_list`` and ``CardListMixin`` render a page with the
function directly, without building serializers. Tests pin every card equal to the declared
fields' output (``tests/posts/test_cards.py``, ``tests/products/test_product_cards.py``,
``tests/notifications``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.db.models import Manager
from rest_framework.generics import GenericAPIView
from rest_framework.mixins import ListModelMixin
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer, Serializer

Card = Callable[[Any], dict[str, Any]]


def card_of(serializer_class: type[BaseSerializer[Any]]) -> Card | None:
    """The card function ``serializer_class`` itself declares (not one a base class does: a
    subclass with fields of its own must not be rendered by its parent's card)."""
    card = vars(serializer_class).get("card")
    return card.__func__ if isinstance(card, staticmethod) else None


# ``to_representation`` by the class's own ``card``; DRF's walk for a subclass. (No docstring:
# drf-spectacular would publish it as the description of every serializer without one.)
class CardSerializerMixin(Serializer[Any]):
    def to_representation(self, instance: Any) -> Any:
        card = card_of(type(self))
        if card is None:
            return super().to_representation(instance)
        return card(instance)


def card_list(
    serializer_class: type[BaseSerializer[Any]],
    rows: Iterable[Any] | None,
    context: dict[str, Any] | None = None,
) -> list[Any]:
    """``serializer_class(rows, many=True, context=context).data``, without building
    serializers when the class declares a card (no rows: an empty list, as DRF's)."""
    card = card_of(serializer_class)
    if card is None:
        return list(serializer_class(rows, many=True, context=context or {}).data)
    if isinstance(rows, Manager):  # as DRF's ListSerializer reads a related manager
        rows = rows.all()
    return [card(row) for row in rows or ()]


def card_data(serializer_class: type[BaseSerializer[Any]], instance: Any) -> Any:
    """``serializer_class(instance).data``, without building a serializer when the class
    declares a card (a detail page: one object)."""
    card = card_of(serializer_class)
    return serializer_class(instance).data if card is None else card(instance)


# ``ListModelMixin.list`` for a generic list view whose serializer declares a card: the same
# page, next and previous links, rendered by ``card_list``; DRF's own ``list`` (with the view's
# serializer and its context) when it declares none. (No docstrings: drf-spectacular would
# publish one as the description of every view that uses the mixin.)
class CardListMixin(ListModelMixin, GenericAPIView[Any]):
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        card = card_of(self.get_serializer_class())
        if card is None:
            return super().list(request, *args, **kwargs)
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        if page is None:
            return Response([card(row) for row in queryset])
        return self.get_paginated_response([card(row) for row in page])
