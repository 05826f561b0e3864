"""The check every card test makes: a serializer's card answers what its declared fields do."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers
from rest_framework.renderers import JSONRenderer


def assert_card_is_the_fields(
    serializer_class: type[serializers.Serializer[Any]], item: Any
) -> bytes:
    """``serializer_class(item).data`` (its card) equals DRF's generic walk over the declared
    fields as data, in key order and as the bytes DRF's renderer writes; returns those bytes."""
    direct = serializer_class(item).data
    generic = serializers.Serializer.to_representation(serializer_class(), item)
    assert dict(direct) == generic
    assert list(direct) == list(generic)  # the same key order
    render = JSONRenderer().render
    assert render(direct) == render(generic)
    return render(generic)
