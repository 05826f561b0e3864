"""Query parameters through ``core.query.validated_query``: for any query string the data or
the 400 is exactly what the view's query serializer gives; the usual values skip building it;
a serializer with anything the fast path does not read always goes through DRF."""

from __future__ import annotations

import random
from typing import Any

import pytest
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from tangerine.core import query
from tangerine.core.query import validated_query
from tangerine.core.schema import query_data
from tangerine.products.models import Status
from tangerine.products.serializers import (
    CATEGORIES,
    PRICE_MAX,
    InsightsQuerySerializer,
    ProductListQuerySerializer,
)
from tangerine.search.serializers import PageQuerySerializer, SearchQuerySerializer

CATEGORY = next(iter(CATEGORIES))
VALUES: dict[str, list[str]] = {
    "category": [CATEGORY, "zzz", "", CATEGORY.upper(), f" {CATEGORY}"],
    "status": [Status.choices[0][0], "", "nope"],
    "min_price": ["0", "5", "007", "-1", "12.0", " 5", "1e3", "+3", str(PRICE_MAX), "", "x"],
    "max_price": ["0", "10", str(PRICE_MAX + 1), "99999999999999999999", "3", "10.00"],
    "sort": ["latest", "price_asc", "price_desc", "popular", "bad", ""],
    "cursor": ["abc"],
    "page_size": ["5"],
}


SEARCH_VALUES: dict[str, list[str]] = {
    "q": ["감귤", "  tangerine  ", "@minji", "", "   ", "a\x00b", "x" * 200, "x" * 201, "0"],
    "type": ["user", "post,product", " user , post ", "user,user", "", ",", "room", "USER"],
    "page": ["1", "2", "0", "01", "1000", "1001"],
    "page_size": ["5", "50", "51", "0"],
    "sort": ["ignored"],
}


def _request(params: dict[str, str]) -> Request:
    return Request(APIRequestFactory().get("/api/products/", params))


def _drf(serializer_class: Any, request: Request) -> Any:
    checked = serializer_class(data=query_data(request))
    if checked.is_valid():
        return dict(checked.validated_data)
    return ("400", checked.errors)


def _ours(serializer_class: Any, request: Request) -> Any:
    try:
        return validated_query(serializer_class, request)
    except ValidationError as exc:
        return ("400", exc.detail)


def _same_answers(serializer_class: Any, values: dict[str, list[str]], seed: int, n: int) -> None:
    """Every single parameter and ``n`` random mixes: our answer is the serializer's, and
    both answers (data and 400) were exercised."""
    rng = random.Random(seed)
    cases: list[dict[str, str]] = [{}] + [
        {name: value} for name, options in values.items() for value in options
    ]
    for _ in range(n):
        names = rng.sample(sorted(values), rng.randint(1, len(values)))
        cases.append({name: rng.choice(values[name]) for name in names})
    accepted = 0
    for params in cases:
        request = _request(params)
        expected = _drf(serializer_class, request)
        assert _ours(serializer_class, request) == expected, params
        accepted += isinstance(expected, dict)
    assert 50 < accepted < len(cases)


def test_every_query_gets_what_the_serializer_gives() -> None:
    _same_answers(ProductListQuerySerializer, VALUES, seed=17, n=600)


def test_every_search_gets_what_the_serializer_gives(monkeypatch: pytest.MonkeyPatch) -> None:
    """Text fields (trimmed, blank, NUL, too long, a pattern) and ``validate_type``, which DRF
    runs on the given value and on the default alike."""
    assert query._readers(SearchQuerySerializer) is not None
    _same_answers(SearchQuerySerializer, SEARCH_VALUES, seed=7, n=400)
    built: list[Any] = []
    monkeypatch.setattr(SearchQuerySerializer, "is_valid", lambda self, **kw: built.append(self))
    defaults = validated_query(SearchQuerySerializer, _request({"q": " 귤 "}))
    assert defaults == {"q": "귤", "type": ["post", "product", "user"], "page": 1, "page_size": 20}
    assert validated_query(SearchQuerySerializer, _request({"q": "a", "type": "user,post"}))[
        "type"
    ] == ["user", "post"]
    assert built == []  # the usual values never built the serializer's fields


def test_the_usual_values_do_not_build_the_serializer(monkeypatch: pytest.MonkeyPatch) -> None:
    built: list[Any] = []
    real = ProductListQuerySerializer.is_valid

    def is_valid(self: Any, *args: Any, **kwargs: Any) -> bool:
        built.append(self)
        return bool(real(self, *args, **kwargs))

    monkeypatch.setattr(ProductListQuerySerializer, "is_valid", is_valid)
    params = {"sort": "price_asc", "category": CATEGORY, "min_price": "10", "cursor": "abc"}
    assert validated_query(ProductListQuerySerializer, _request(params)) == {
        "category": CATEGORY,
        "min_price": 10,
        "sort": "price_asc",
    }
    assert built == []
    # What only the serializer reads goes through it: a sign, and its own validate()'s error.
    signed = validated_query(ProductListQuerySerializer, _request({"min_price": "+3"}))
    assert signed == {"min_price": 3, "sort": "latest"} and len(built) == 1
    with pytest.raises(ValidationError):
        validated_query(ProductListQuerySerializer, _request({"min_price": "9", "max_price": "3"}))
    assert len(built) == 2


class _Picky(serializers.Serializer[Any]):
    size = serializers.IntegerField(required=False)

    def validate_size(self, value: int) -> int:
        if value % 2:
            raise serializers.ValidationError("Even sizes only.")
        return value


class _NeedsField:
    requires_context = True

    def __call__(self, value: str, field: Any) -> None:
        if value != field.field_name:
            raise serializers.ValidationError("Only its own name.")


class _Contextual(serializers.Serializer[Any]):
    name = serializers.CharField(validators=[_NeedsField()])


class _WithReadOnly(serializers.Serializer[Any]):
    q = serializers.CharField()
    shown = serializers.CharField(read_only=True, default="x")


class _Dated(serializers.Serializer[Any]):
    day = serializers.DateField()


class _Needed(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(choices=["a", "b"])


@pytest.mark.parametrize(
    ("serializer_class", "params", "fast"),
    [
        # validate_<field> runs as DRF runs it: its error is the serializer's 400.
        (_Picky, {"size": "3"}, True),
        (_Picky, {"size": "4"}, True),
        (_Picky, {}, True),
        (_Contextual, {"name": "ab"}, False),
        (_WithReadOnly, {"q": "a", "shown": "y"}, False),
        (_Dated, {"day": "2026-12-07"}, False),
        (_Dated, {"day": "yesterday"}, False),
        (_Needed, {}, True),
        (_Needed, {"kind": "b"}, True),
        (_Needed, {"kind": "c"}, True),
        # Fields added in __init__ are seen (its dates go through DRF).
        (InsightsQuerySerializer, {"from": "2026-12-01"}, False),
        (InsightsQuerySerializer, {"from": "soon"}, False),
        (PageQuerySerializer, {"page": "2", "q": "ignored"}, True),
        (PageQuerySerializer, {"page": "0"}, True),
        (PageQuerySerializer, {"page_size": "07"}, True),
    ],
)
def test_serializers_with_more_go_through_drf(
    serializer_class: Any, params: Any, fast: bool
) -> None:
    assert (query._readers(serializer_class) is not None) is fast
    request = _request(params)
    assert _ours(serializer_class, request) == _drf(serializer_class, request)
