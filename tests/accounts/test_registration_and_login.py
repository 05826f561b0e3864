from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from rest_framework.test import APIClient

if TYPE_CHECKING:
    from rest_framework.response import _MonkeyPatchedResponse

from tangerine.accounts.models import User
from tests.support.api import PASSWORD

pytestmark = pytest.mark.django_db

REGISTER = "/api/accounts/registration/"
LOGIN = "/api/accounts/login/"


def _register(client: APIClient, **overrides: str) -> _MonkeyPatchedResponse:
    body = {
        "email": "new@example.com",
        "handle": "newbie",
        "password1": "a-long-unusual-password",
        "password2": "a-long-unusual-password",
        "display_name": "새 사용자",
    }
    body.update(overrides)
    return client.post(REGISTER, body, format="json")


def test_registration_returns_tokens_and_private_profile(anon: APIClient) -> None:
    response = _register(anon)
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["access"] and body["refresh"]
    assert body["user"]["handle"] == "newbie"
    assert body["user"]["email"] == "new@example.com"
    assert body["user"]["display_name"] == "새 사용자"
    me = APIClient()
    me.credentials(HTTP_AUTHORIZATION=f"Bearer {body['access']}")
    assert me.get("/api/accounts/me/").json()["handle"] == "newbie"


def test_registration_refuses_duplicate_email_in_any_case(anon: APIClient, alice: User) -> None:
    response = _register(anon, email="ALICE@Example.com")
    assert response.status_code == 400
    assert "email" in response.json()["fields"]


def test_registration_refuses_duplicate_handle_in_any_case(anon: APIClient, alice: User) -> None:
    response = _register(anon, handle="ALICE")
    assert response.status_code == 400
    assert response.json()["fields"]["handle"] == ["This handle is already taken."]


@pytest.mark.parametrize("handle", ["ab", "x" * 31, "has space", "slash/y", "한글핸들", "admin"])
def test_registration_refuses_bad_or_reserved_handles(anon: APIClient, handle: str) -> None:
    response = _register(anon, handle=handle)
    assert response.status_code == 400
    assert "handle" in response.json()["fields"]


def test_registration_refuses_weak_and_mismatched_passwords(anon: APIClient) -> None:
    weak = _register(anon, password1="12345678", password2="12345678")
    assert weak.status_code == 400
    assert "password1" in weak.json()["fields"]
    mismatch = _register(anon, password2="something-else-entirely")
    assert mismatch.status_code == 400
    assert "password2" in mismatch.json()["fields"]


def test_registration_with_missing_fields_names_each(anon: APIClient) -> None:
    response = anon.post(REGISTER, {}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert {"email", "handle", "password1", "password2"} <= set(body["fields"])


def test_malformed_json_is_a_clear_400(anon: APIClient) -> None:
    response = anon.post(REGISTER, data="{not json", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"


def test_login_with_email_in_any_case(anon: APIClient, alice: User) -> None:
    response = anon.post(LOGIN, {"email": "Alice@Example.COM", "password": PASSWORD})
    assert response.status_code == 200
    assert response.json()["user"]["handle"] == "alice"


def test_wrong_password_and_unknown_email_answer_the_same(anon: APIClient, alice: User) -> None:
    wrong = anon.post(LOGIN, {"email": "alice@example.com", "password": "nope-nope"})
    unknown = anon.post(LOGIN, {"email": "nobody@example.com", "password": "nope-nope"})
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json() == unknown.json()


def test_login_is_limited_per_account(anon: APIClient, alice: User, settings: object) -> None:
    settings.AUTH_RATE_LIMITS = {**settings.AUTH_RATE_LIMITS, "login": "3/300"}  # type: ignore[attr-defined]
    for _ in range(3):
        assert (
            anon.post(LOGIN, {"email": "alice@example.com", "password": "bad"}).status_code == 401
        )
    blocked = anon.post(LOGIN, {"email": "alice@example.com", "password": PASSWORD})
    assert blocked.status_code == 429
    assert blocked.json()["code"] == "throttled"


def test_suspended_user_cannot_log_in(anon: APIClient, alice: User) -> None:
    from django.utils import timezone

    User.objects.filter(pk=alice.pk).update(suspended_at=timezone.now())
    response = anon.post(LOGIN, {"email": "alice@example.com", "password": PASSWORD})
    assert response.status_code == 401
