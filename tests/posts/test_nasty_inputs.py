"""Hostile bodies, query strings and path parameters never crash the social API.

Every operation of the OpenAPI schema under posts, comments, replies, likes, follows, chats,
reports, search, events and notifications is called with bodies whose every field (taken from
the operation's request schema) holds a nasty value: wrong JSON types, nulls, huge numbers,
non-UUID strings, very long strings, nested containers. The answer must be below 500 and, when
it is an error, the one JSON error shape ``{"code", "detail", ...}``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any
from urllib.parse import urlencode

import pytest
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from tangerine.accounts.models import User
from tangerine.chats.models import Membership, Message, Room
from tests.factories import make_comment, make_post, make_reply, make_report
from tests.support.api import client_for

PREFIXES = (
    "/api/posts/",
    "/api/comments/",
    "/api/replies/",
    "/api/likes/",
    "/api/follows/",
    "/api/chats/",
    "/api/reports/",
    "/api/search/",
    "/api/events/",
    "/api/notifications/",
)

NASTY: list[Any] = [
    None,
    True,
    0,
    -1,
    2**70,
    -(2**70),
    1.5e308,
    "",
    " ",
    "not-a-uuid",
    "00000000-0000-0000-0000-000000000000",
    "\x00",
    "x" * 100_000,
    "감" * 5_000,
    [],
    ["x"],
    [None],
    [[1]],
    [{"a": 1}],
    ["not-a-uuid"] * 1_000,
    {},
    {"uuid": "x"},
]
WHOLE_BODIES: list[Any] = [None, [], [None], "text", 12, {"": None}]
NASTY_QUERY = ["", "x" * 5_000, "-1", "99999999999999999999999", "not-a-uuid", "\x00", "1e9", "%"]
NASTY_PATH = ["not-a-uuid", "00000000-0000-0000-0000-000000000000", "x" * 300, "a%00b", "a\x00b"]


@cache
def _schema() -> dict[str, Any]:
    return dict(SchemaGenerator().get_schema(request=None, public=True))


def _operations() -> list[tuple[str, str]]:
    return sorted(
        (method.upper(), path)
        for path, operations in _schema()["paths"].items()
        if path.startswith(PREFIXES)
        for method in operations
        if method in {"get", "post", "put", "patch", "delete"}
    )


def _resolve(schema: dict[str, Any]) -> dict[str, Any]:
    ref = schema.get("$ref")
    if ref:
        return dict(_schema()["components"]["schemas"][ref.rsplit("/", 1)[1]])
    return schema


def _body_fields(method: str, path: str) -> tuple[list[str], bool]:
    """The request body's property names, and whether the body may be a list of them."""
    operation = _schema()["paths"][path][method.lower()]
    content = operation.get("requestBody", {}).get("content", {}).get("application/json")
    if not content:
        return [], False
    schema = _resolve(content["schema"])
    is_list = schema.get("type") == "array"
    if is_list:
        schema = _resolve(schema["items"])
    return sorted(schema.get("properties", {})), is_list


def _query_names(method: str, path: str) -> list[str]:
    operation = _schema()["paths"][path][method.lower()]
    return [p["name"] for p in operation.get("parameters", []) if p["in"] == "query"]


@dataclass
class World:
    objects: dict[str, Any]

    def fill(self, path: str, value: str | None = None) -> str:
        filled = path.replace("{handle}", value or "alice")
        if "{uuid}" in filled:
            kind = next(k for k in self.objects if path.startswith(k))
            filled = filled.replace("{uuid}", value or str(self.objects[kind].uuid))
        return filled


@pytest.fixture
def world(alice: User, bob: User, mod: User) -> World:
    post = make_post(alice, "제주 감귤 tangerine", title="tangerine")
    comment = make_comment(post, alice, "first")
    reply = make_reply(comment, alice, "reply")  # the post counts 2 comments, the comment 1 reply
    room = Room.objects.create(created_by=alice)
    Membership.objects.create(room=room, user=alice)
    Membership.objects.create(room=room, user=mod)
    Message.objects.create(room=room, sender=alice, text="hello", seq=1, client_id="c1")
    report = make_report(
        reporter=mod, target_id=post.pk, target_ref=str(post.uuid), target_user=alice, evidence={}
    )
    return World(
        objects={
            "/api/posts/p/": post,
            "/api/comments/": comment,
            "/api/replies/": reply,
            "/api/chats/rooms/": room,
            "/api/reports/": report,
            "/api/likes/post-likes/": post,
            "/api/likes/comment-likes/": comment,
            "/api/likes/reply-likes/": reply,
        }
    )


def _check(client: APIClient, method: str, url: str, body: Any, failures: list[str]) -> None:
    response = getattr(client, method.lower())(url, body, format="json")
    label = f"{method} {url[:120]} body={str(body)[:80]!r}"
    if response.status_code >= 500:
        failures.append(f"{label}: {response.status_code}")
        return
    if response.status_code >= 400:
        if response.get("Content-Type", "").split(";")[0] != "application/json":
            failures.append(f"{label}: {response.status_code} not JSON")
            return
        data = response.json()
        if not (isinstance(data, dict) and "code" in data and "detail" in data):
            failures.append(f"{label}: {response.status_code} error shape {str(data)[:200]}")


def test_the_schema_lists_operations_of_every_area() -> None:
    paths = {path for _, path in _operations()}
    for prefix in PREFIXES:
        assert any(p.startswith(prefix) for p in paths), prefix


@pytest.mark.django_db
@pytest.mark.parametrize(("method", "path"), _operations())
@pytest.mark.parametrize("persona", ["alice", "mod"])
def test_nasty_input_never_crashes(
    world: World, alice: User, mod: User, persona: str, method: str, path: str
) -> None:
    """alice owns every object; mod is staff and alice's room-mate."""
    client = client_for(alice if persona == "alice" else mod)
    client.raise_request_exception = False
    fields, is_list = _body_fields(method, path)
    url = world.fill(path)
    failures: list[str] = []

    # Nasty path parameters first, so the real objects are still there afterwards.
    if "{" in path:
        for value in NASTY_PATH:
            _check(client, method, world.fill(path, value), {}, failures)
    for name in _query_names(method, path):
        for value in NASTY_QUERY:
            _check(client, method, f"{url}?{urlencode({name: value})}", None, failures)
    if method != "GET":
        for value in NASTY:
            body: Any = dict.fromkeys(fields, value)
            _check(client, method, url, [body] if is_list else body, failures)
            for field in fields:  # one bad field among otherwise absent ones
                single = {field: value}
                _check(client, method, url, [single] if is_list else single, failures)
        for whole in WHOLE_BODIES:
            _check(client, method, url, whole, failures)
    assert not failures, "\n".join(failures[:30])
