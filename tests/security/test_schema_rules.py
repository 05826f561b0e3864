"""The API and its OpenAPI schema agree where schema fuzzing found they did not.

Each test sends the request the schema fuzzing sent (tests/security/test_schema_fuzz.py) and
checks both sides: what the server answers, and that the schema (``/api/schema/``) says so:
blank links and categories are documented answers, blank query parameters and bodies that
name no proof are schema-invalid, the extra error answers are documented.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import jsonschema
import pytest
from django.test import Client as DjangoClient
from rest_framework.test import APIClient

from tangerine.accounts.models import User
from tangerine.posts.models import Category
from tests.support.api import PASSWORD

pytestmark = pytest.mark.django_db

_schema: dict[str, Any] = {}


def schema() -> dict[str, Any]:
    if not _schema:
        _schema.update(DjangoClient().get("/api/schema/?format=json").json())
    return _schema


def operation(name: str) -> dict[str, Any]:
    method, path = name.split(" ", 1)
    return dict(schema()["paths"][path][method.lower()])


def valid(fragment: dict[str, Any], value: Any) -> bool:
    """Whether ``value`` matches ``fragment`` of the schema (refs resolved in the schema)."""
    document = {**fragment, "components": schema()["components"]}
    return jsonschema.Draft4Validator(document).is_valid(value)


def body(name: str) -> dict[str, Any]:
    return dict(operation(name)["requestBody"]["content"]["application/json"]["schema"])


def parameter(name: str, parameter_name: str) -> dict[str, Any]:
    (found,) = [p for p in operation(name)["parameters"] if p["name"] == parameter_name]
    return dict(found["schema"])


def documented(name: str, status: int) -> bool:
    return str(status) in operation(name)["responses"]


# --- answers the schema did not allow ---------------------------------------------------------


def test_an_unset_profile_link_is_answered_blank_and_the_schema_allows_it(
    alice: User, as_user: Callable[[User], APIClient]
) -> None:
    client = as_user(alice)
    response = client.patch(
        f"/api/accounts/users/{alice.handle}/",
        {"link_1": "https://shop.example.com/a", "link_2": ""},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["link_2"] == ""
    link = schema()["components"]["schemas"]["User"]["properties"]["link_2"]
    assert valid(link, "") and valid(link, "https://shop.example.com/a")
    assert not valid(link, "javascript:alert(1)")
    # A link that is not http(s) is still refused, by the schema and the server.
    request_link = schema()["components"]["schemas"]["PatchedUserUpdateRequest"]["properties"]
    assert not valid(request_link["link_1"], "ftp://shop.example.com/")
    refused = client.patch(
        f"/api/accounts/users/{alice.handle}/", {"link_1": "ftp://x.example.com/"}, format="json"
    )
    assert refused.status_code == 400 and "link_1" in refused.json()["fields"]


def test_a_post_without_category_is_answered_blank_and_the_schema_allows_it(
    alice: User, as_user: Callable[[User], APIClient]
) -> None:
    response = as_user(alice).post("/api/posts/p/", {"text": "감귤 first"}, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["category"] == ""
    category = schema()["components"]["schemas"]["Post"]["properties"]["category"]
    assert valid(category, "")
    assert valid(category, Category.choices[0][0])
    assert not valid(category, "no-such-category")


# --- requests the schema called valid but the server refused ----------------------------------


@pytest.mark.parametrize(
    ("name", "path", "query"),
    [
        ("GET /api/accounts/search/", "/api/accounts/search/", "q"),
        ("GET /api/posts/p/", "/api/posts/p/", "tag"),
        ("GET /api/comments/user/", "/api/comments/user/", "handle"),
    ],
)
def test_a_blank_required_query_parameter_is_400_and_schema_invalid(
    alice: User, as_user: Callable[[User], APIClient], name: str, path: str, query: str
) -> None:
    for blank in ("", "   "):
        response = as_user(alice).get(path, {query: blank})
        assert response.status_code == 400, (blank, response.content)
        assert query in response.json()["fields"]
        assert not valid(parameter(name, query), blank)
    assert valid(parameter(name, query), "jeju")


def test_a_blank_or_hash_only_tag_is_schema_invalid() -> None:
    assert not valid(parameter("GET /api/posts/p/", "tag"), "#")
    assert valid(parameter("GET /api/posts/p/", "tag"), "#감귤")


def test_comments_of_a_post_take_a_uuid() -> None:
    assert parameter("GET /api/comments/", "post")["format"] == "uuid"
    assert parameter("GET /api/comments/", "post")["type"] == "string"


def test_people_search_q_is_at_most_50_characters(
    alice: User, as_user: Callable[[User], APIClient]
) -> None:
    q = parameter("GET /api/accounts/search/", "q")
    assert valid(q, "a" * 50) and not valid(q, "a" * 51)
    assert as_user(alice).get("/api/accounts/search/", {"q": "a" * 51}).status_code == 400


@pytest.mark.parametrize(
    ("name", "path", "refused", "accepted_by_schema"),
    [
        (
            "POST /api/notifications/read/",
            "/api/notifications/read/",
            [{}, {"all": False}, {"uuids": []}, {"all": True, "uuids": [str(uuid.uuid4())]}],
            [
                {"all": True},
                {"uuids": [str(uuid.uuid4())]},
                {"uuids": [str(uuid.uuid4())], "all": False},
            ],
        ),
        (
            "PATCH /api/notifications/preferences/",
            "/api/notifications/preferences/",
            [{}, {"no_such_kind": True}, {"warning": False}, {"post_like": True, "x": 1}],
            [{"post_like": False}, {"warning": True}],
        ),
        (
            "POST /api/accounts/google/login/",
            "/api/accounts/google/login/",
            [{}, {"code": "abc"}, {"id_token": "a", "code": "b", "redirect_uri": "https://x.kr/"}],
            [{"id_token": "abc"}, {"code": "abc", "redirect_uri": "https://app.example.com/cb"}],
        ),
    ],
)
def test_a_body_that_says_nothing_is_400_and_schema_invalid(
    alice: User,
    as_user: Callable[[User], APIClient],
    name: str,
    path: str,
    refused: list[dict[str, Any]],
    accepted_by_schema: list[dict[str, Any]],
) -> None:
    method = name.split(" ", 1)[0].lower()
    for data in refused:
        response = getattr(as_user(alice), method)(path, data, format="json")
        assert response.status_code == 400, (data, response.content)
        assert not valid(body(name), data), data
    for data in accepted_by_schema:
        assert valid(body(name), data), data


def test_marking_read_with_uuids_and_all_false_is_accepted(
    alice: User, as_user: Callable[[User], APIClient]
) -> None:
    data = {"uuids": [str(uuid.uuid4())], "all": False}
    response = as_user(alice).post("/api/notifications/read/", data, format="json")
    assert response.status_code == 200, response.content
    assert valid(body("POST /api/notifications/read/"), data)


def test_deleting_an_account_needs_a_proof_in_the_schema_too(
    alice: User, as_user: Callable[[User], APIClient]
) -> None:
    name = "DELETE /api/accounts/users/{handle}/"
    path = f"/api/accounts/users/{alice.handle}/"
    response = as_user(alice).delete(path, {}, format="json")
    assert response.status_code == 400
    assert "current_password" in response.json()["fields"]
    assert not valid(body(name), {})
    assert operation(name)["requestBody"]["required"] is True
    assert valid(body(name), {"current_password": PASSWORD})
    assert (
        as_user(alice).delete(path, {"current_password": PASSWORD}, format="json").status_code
        == 204
    )


def test_an_empty_list_of_events_is_400_and_schema_invalid(anon: APIClient) -> None:
    response = anon.post("/api/events/", [], format="json")
    assert response.status_code == 400
    events = body("POST /api/events/")
    assert not valid(events, [])
    assert events["minItems"] == 1 and events["maxItems"] >= 1


@pytest.mark.parametrize("url", ["/api/images/upload/", "ftp://shop.example.com/x", "shop.kr"])
def test_a_preview_of_a_relative_or_non_http_link_is_400_and_schema_invalid(
    alice: User, as_user: Callable[[User], APIClient], url: str
) -> None:
    response = as_user(alice).post("/api/products/preview/", {"url": url}, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_url"
    assert not valid(body("POST /api/products/preview/"), {"url": url})
    assert valid(body("POST /api/products/preview/"), {"url": "https://shop.example.com/x"})


# --- answers the operations gave but did not document -----------------------------------------


def test_a_wrong_login_is_a_documented_401(anon: APIClient, alice: User) -> None:
    response = anon.post(
        "/api/accounts/login/", {"email": alice.email, "password": "wrong-password"}, format="json"
    )
    assert response.status_code == 401
    assert response.json()["code"] == "invalid_credentials"
    assert documented("POST /api/accounts/login/", 401)


@pytest.mark.parametrize("relation", ["block", "mute"])
def test_blocking_or_muting_yourself_is_a_documented_400(
    alice: User, as_user: Callable[[User], APIClient], relation: str
) -> None:
    response = as_user(alice).post(f"/api/accounts/users/{alice.handle}/{relation}/")
    assert response.status_code == 400
    assert "handle" in response.json()["fields"]
    assert documented(f"POST /api/accounts/users/{{handle}}/{relation}/", 400)


@pytest.mark.parametrize(
    ("name", "path", "data"),
    [
        ("POST /api/comments/", "/api/comments/", {"post": "UUID", "text": "hi"}),
        ("POST /api/follows/", "/api/follows/", {"handle": "nobody_here"}),
        ("POST /api/likes/post-likes/", "/api/likes/post-likes/", {"post": "UUID"}),
        ("POST /api/likes/comment-likes/", "/api/likes/comment-likes/", {"comment": "UUID"}),
        ("POST /api/likes/reply-likes/", "/api/likes/reply-likes/", {"reply": "UUID"}),
        (
            "POST /api/reports/",
            "/api/reports/",
            {"target_type": "post", "target": "UUID", "reason": "spam"},
        ),
    ],
)
def test_a_body_naming_a_missing_object_is_a_documented_404(
    alice: User, as_user: Callable[[User], APIClient], name: str, path: str, data: dict[str, str]
) -> None:
    data = {key: str(uuid.uuid4()) if value == "UUID" else value for key, value in data.items()}
    response = as_user(alice).post(path, data, format="json")
    assert response.status_code == 404, response.content
    assert documented(name, 404)
