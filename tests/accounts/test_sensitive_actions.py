"""Account deletion and password change ask for proof of the owner, with their own limit."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import Any

import jwt
import pytest
from rest_framework.test import APIClient

from tangerine.accounts.google import _jwks_client
from tangerine.accounts.models import User
from tests.support.api import PASSWORD
from tests.support.fake_google import CLIENT_ID, ISSUER, FakeGoogle

pytestmark = pytest.mark.django_db
CHANGE = "/api/accounts/password/change/"


def _delete(client: APIClient, handle: str, body: dict[str, Any] | None = None) -> Any:
    return client.delete(f"/api/accounts/users/{handle}/", body or {}, format="json")


@pytest.fixture
def google(settings: Any) -> Iterator[FakeGoogle]:
    fake = FakeGoogle().start()
    settings.GOOGLE_CLIENT_ID = CLIENT_ID
    settings.GOOGLE_CLIENT_SECRET = "test-secret"
    settings.GOOGLE_JWKS_URL = f"{fake.base_url}/certs"
    settings.GOOGLE_TOKEN_URL = f"{fake.base_url}/token"
    _jwks_client.cache_clear()
    yield fake
    fake.stop()
    _jwks_client.cache_clear()


def _google_user(anon: APIClient, google: FakeGoogle) -> tuple[User, APIClient]:
    """A Google-only account (no usable password) and a client holding its session."""
    body = anon.post("/api/accounts/google/login/", {"id_token": google.id_token()}).json()
    user = User.objects.get(handle=body["user"]["handle"])
    assert not user.has_usable_password()
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {body['access']}")
    return user, client


def _old_id_token(google: FakeGoogle, *, age: int) -> str:
    now = int(time.time())
    claims = {
        "iss": ISSUER,
        "aud": CLIENT_ID,
        "sub": "google-sub-1",
        "email": "gina@gmail.com",
        "email_verified": True,
        "iat": now - age,
        "exp": now + 3600,
    }
    return jwt.encode(claims, google.key, algorithm="RS256", headers={"kid": google.kid})


def test_account_deletion_needs_the_current_password(
    as_user: Callable[[User], APIClient], alice: User
) -> None:
    client = as_user(alice)
    missing = _delete(client, "alice")
    assert missing.status_code == 400
    assert "current_password" in missing.json()["fields"]
    wrong = _delete(client, "alice", {"current_password": "not-my-password"})
    assert wrong.status_code == 400
    assert "current_password" in wrong.json()["fields"]
    assert User.objects.filter(pk=alice.pk).exists()
    assert _delete(client, "alice", {"current_password": PASSWORD}).status_code == 204
    assert not User.objects.filter(pk=alice.pk).exists()


def test_someone_elses_account_is_still_403_even_with_their_password(
    as_user: Callable[[User], APIClient], alice: User, bob: User
) -> None:
    response = _delete(as_user(bob), "alice", {"current_password": PASSWORD})
    assert response.status_code == 403
    assert User.objects.filter(pk=alice.pk).exists()


def test_guessing_the_password_through_deletion_is_limited(
    as_user: Callable[[User], APIClient], alice: User, settings: Any
) -> None:
    settings.AUTH_RATE_LIMITS = {**settings.AUTH_RATE_LIMITS, "sensitive_action": "3/900"}
    client = as_user(alice)
    for _ in range(3):
        assert _delete(client, "alice", {"current_password": "guess"}).status_code == 400
    limited = _delete(client, "alice", {"current_password": PASSWORD})
    assert limited.status_code == 429
    assert User.objects.filter(pk=alice.pk).exists()


def test_guessing_the_old_password_through_password_change_is_limited(
    as_user: Callable[[User], APIClient], alice: User, settings: Any
) -> None:
    settings.AUTH_RATE_LIMITS = {**settings.AUTH_RATE_LIMITS, "sensitive_action": "3/900"}
    client = as_user(alice)
    new = {"new_password1": "fresh-pass-4321", "new_password2": "fresh-pass-4321"}
    for _ in range(3):
        wrong = client.post(CHANGE, {"old_password": "guess", **new})
        assert wrong.status_code == 400
        assert "old_password" in wrong.json()["fields"]
    limited = client.post(CHANGE, {"old_password": PASSWORD, **new})
    assert limited.status_code == 429
    alice.refresh_from_db()
    assert alice.check_password(PASSWORD)


def test_the_limit_is_per_account_not_shared_with_others(
    as_user: Callable[[User], APIClient], alice: User, bob: User, settings: Any
) -> None:
    settings.AUTH_RATE_LIMITS = {**settings.AUTH_RATE_LIMITS, "sensitive_action": "3/900"}
    for _ in range(3):
        _delete(as_user(alice), "alice", {"current_password": "guess"})
    # bob, from another address, is not held back by alice's failures
    response = as_user(bob).delete(
        "/api/accounts/users/bob/",
        {"current_password": PASSWORD},
        format="json",
        REMOTE_ADDR="203.0.113.9",
    )
    assert response.status_code == 204


def test_a_google_only_account_is_deleted_with_a_fresh_google_sign_in(
    anon: APIClient, google: FakeGoogle
) -> None:
    user, client = _google_user(anon, google)
    missing = _delete(client, user.handle)
    assert missing.status_code == 400
    assert "id_token" in missing.json()["fields"]
    # a password is no proof for an account that has none
    assert _delete(client, user.handle, {"current_password": "anything"}).status_code == 400
    stale = _delete(client, user.handle, {"id_token": _old_id_token(google, age=3600)})
    assert stale.status_code == 400
    assert "too old" in str(stale.json()["fields"]["id_token"])
    other = _delete(client, user.handle, {"id_token": google.id_token(sub="someone-else")})
    assert other.status_code == 400
    assert User.objects.filter(pk=user.pk).exists()
    fresh = _delete(client, user.handle, {"id_token": google.id_token()})
    assert fresh.status_code == 204
    assert not User.objects.filter(pk=user.pk).exists()


def test_a_google_only_account_can_prove_itself_with_an_authorization_code(
    anon: APIClient, google: FakeGoogle
) -> None:
    user, client = _google_user(anon, google)
    code = google.issue_code()
    response = _delete(
        client,
        user.handle,
        {"code": code, "redirect_uri": "https://tangerine.example/auth/google/callback"},
    )
    assert response.status_code == 204, response.json()
    assert not User.objects.filter(pk=user.pk).exists()


def test_two_proofs_at_once_are_a_field_error(
    as_user: Callable[[User], APIClient], alice: User
) -> None:
    response = _delete(as_user(alice), "alice", {"current_password": PASSWORD, "id_token": "x"})
    assert response.status_code == 400
    assert User.objects.filter(pk=alice.pk).exists()
