"""Nasty input over every operation of accounts, images and products: never a 500.

Each operation comes from the OpenAPI schema (a new route is fuzzed without editing this file).
For every property of its request body we send wrong JSON types, huge numbers, NUL characters,
very long strings and non-uuid strings; bodies that are not objects, malformed JSON and the wrong
content type; nasty path parameters and query strings. The answer must be below 500 and, when it
is an error, the one JSON error shape.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from drf_spectacular.generators import SchemaGenerator

from tangerine.accounts.models import User
from tangerine.accounts.tokens import tokens_for_user
from tests.factories import ImageFactory, ProductFactory
from tests.support.api import PASSWORD

AREAS = ("/api/accounts/", "/api/images/", "/api/posts/presigned/", "/api/products/")
# Operations that reach outside services (Google's endpoints, outside store pages).
OUTBOUND = {("post", "/api/accounts/google/login/"), ("post", "/api/products/preview/")}

NASTY_VALUES: list[Any] = [
    None,
    [],
    ["a", "b"],
    {"a": 1},
    True,
    10**30,
    -(10**30),
    1e308,
    -1,
    "",
    "not-a-uuid",
    "\x00",
    "a\x00b",
    "😀" * 300,
    "x" * 100_000,
    "../../etc/passwd",
    "https://[::1]/",
]
NASTY_BODIES: list[str] = ["[]", '"text"', "1", "null", "{", '{"a": }', "\x00", "[" * 2000]
NASTY_SEGMENTS = ["not-a-uuid", "0" * 500, "%00", "a%00b", "%F0%9F%98%80", "-1", "9" * 30]
NASTY_QUERY = (
    "?page=999999999999999999999&page_size=-5&cursor=%00&search=%00&q=a%00b&post=zz&handle=%00"
)
NEW_PASSWORD = "Tangerine-fuzz-77"
# A valid body per operation: each nasty value replaces one field of it, so the value reaches
# the service instead of stopping at "this other field is required".
PRODUCT = {
    "name": "감귤",
    "description": "",
    "price": 100,
    "currency": "KRW",
    "link": "https://shop.example.com/1",
    "images": [],
}
GRANT = {"filename": "a.jpg", "content_type": "image/jpeg", "size": 100}
VALID: dict[str, dict[str, Any]] = {
    "/api/accounts/registration/": {
        "email": "new@example.com",
        "handle": "newbie",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
        "display_name": "New",
    },
    "/api/accounts/login/": {"email": "alice@example.com", "password": PASSWORD},
    "/api/accounts/password/change/": {
        "old_password": "wrong-old-password",
        "new_password1": NEW_PASSWORD,
        "new_password2": NEW_PASSWORD,
    },
    "/api/accounts/password/reset/": {"email": "alice@example.com"},
    "/api/accounts/password/reset/confirm/": {
        "uid": "MTIz",
        "token": "abc-def",
        "new_password1": NEW_PASSWORD,
        "new_password2": NEW_PASSWORD,
    },
    "/api/accounts/users/{handle}/": {
        "handle": "alice",
        "display_name": "Alice",
        "bio": "",
        "link_1": "",
        "link_2": "",
        "profile_image": None,
    },
    "/api/images/presigned/": GRANT,
    "/api/posts/presigned/": GRANT,
    "/api/products/": PRODUCT,
    "/api/products/{uuid}/": PRODUCT,
}


def _operations() -> list[tuple[str, str, dict[str, Any]]]:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    found = []
    for path, item in schema["paths"].items():
        if not path.startswith(AREAS):
            continue
        for method, operation in item.items():
            if method in {"get", "post", "put", "patch", "delete"}:
                found.append((method, path, operation))
    return found


def _properties(operation: dict[str, Any], components: dict[str, Any]) -> list[str]:
    content = operation.get("requestBody", {}).get("content", {})
    schema = content.get("application/json", {}).get("schema", {})
    ref = schema.get("$ref", "")
    if ref:
        schema = components[ref.rsplit("/", 1)[-1]]
    return list(schema.get("properties", {}))


def _assert_ok(response: Any, what: str) -> None:
    assert response.status_code < 500, f"{what}: {response.status_code} {response.content[:300]!r}"
    if response.status_code >= 400 and response.status_code != 405:
        body = response.json()
        assert isinstance(body, dict) and "code" in body and "detail" in body, (what, body)


@pytest.fixture(autouse=True)
def _no_rate_limits(settings: Any) -> None:
    """Hundreds of requests from one address: the limiter would answer 429 to most of them."""
    settings.AUTH_RATE_LIMITS = dict.fromkeys(settings.AUTH_RATE_LIMITS, "100000/60")


@pytest.fixture
def world(alice: User) -> dict[str, str]:
    image = ImageFactory.create(owner=alice)
    product = ProductFactory.create(owner=alice)
    return {"uuid": str(product.uuid), "handle": alice.handle, "image": str(image.uuid)}


def _fill(path: str, world: dict[str, str], segment: str | None = None) -> str:
    uuid = world["image"] if path.startswith("/api/images/") else world["uuid"]
    return path.replace("{uuid}", segment or uuid).replace("{handle}", segment or world["handle"])


def _client(user: User) -> Client:
    access = tokens_for_user(user=user)["access"]
    client = Client(HTTP_AUTHORIZATION=f"Bearer {access}", raise_request_exception=False)
    return client


def _cases() -> Iterator[Any]:
    for method, path, operation in _operations():
        if (method, path) in OUTBOUND:
            continue
        yield pytest.param(method, path, operation, id=f"{method.upper()} {path}")


@pytest.mark.django_db
@pytest.mark.parametrize(("method", "path", "operation"), list(_cases()))
def test_no_server_error_on_nasty_input(
    method: str, path: str, operation: dict[str, Any], alice: User, world: dict[str, str]
) -> None:
    client = _client(alice)
    url = _fill(path, world)
    components = SchemaGenerator().get_schema(request=None, public=True)["components"]["schemas"]
    send = getattr(client, method)
    valid = VALID.get(path, {}) if method in {"post", "put", "patch"} else {}
    for field in dict.fromkeys([*_properties(operation, components), *valid]):
        for value in NASTY_VALUES:
            for base in ({}, valid) if valid else ({},):
                body = json.dumps({**base, field: value})
                what = f"{field}={value!r:.40} with{'' if base else 'out'} a valid body"
                _assert_ok(send(url, body, content_type="application/json"), what)
    if method in {"post", "put", "patch"}:
        for raw in NASTY_BODIES:
            _assert_ok(send(url, raw, content_type="application/json"), f"body {raw[:20]!r}")
        _assert_ok(send(url, "a=1", content_type="text/plain"), "text/plain")
        _assert_ok(send(url, b"\xff\xfe", content_type="application/json"), "bad utf-8")
    if "{" in path:
        for segment in NASTY_SEGMENTS:
            _assert_ok(send(_fill(path, world, segment)), f"segment {segment}")
    _assert_ok(send(url + NASTY_QUERY) if method == "get" else send(url), "query")
