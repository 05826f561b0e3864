"""Refresh rotation, revocation by logout, password change and deactivation."""

from __future__ import annotations

import threading
import uuid

import pytest
from django.db import connection
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import AccessToken

from tangerine.accounts.models import User
from tangerine.accounts.tokens import tokens_for_user
from tests.support.api import PASSWORD

pytestmark = pytest.mark.django_db
REFRESH = "/api/accounts/token/refresh/"
ME = "/api/accounts/me/"


def _login(client: APIClient, email: str = "alice@example.com", password: str = PASSWORD) -> dict:
    response = client.post("/api/accounts/login/", {"email": email, "password": password})
    assert response.status_code == 200, response.json()
    return response.json()


def _bearer(access: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {access}")
    return client


def test_refresh_rotates_and_the_old_refresh_token_stops_working(
    anon: APIClient, alice: User
) -> None:
    first = _login(anon)
    rotated = anon.post(REFRESH, {"refresh": first["refresh"]})
    assert rotated.status_code == 200
    assert rotated.json()["refresh"] != first["refresh"]
    assert _bearer(rotated.json()["access"]).get(ME).status_code == 200
    again = anon.post(REFRESH, {"refresh": first["refresh"]})
    assert again.status_code == 401
    assert again.json()["code"] == "token_not_valid"
    assert anon.post(REFRESH, {"refresh": rotated.json()["refresh"]}).status_code == 200


def test_a_refresh_token_never_authenticates_a_request(anon: APIClient, alice: User) -> None:
    tokens = _login(anon)
    assert _bearer(tokens["refresh"]).get(ME).status_code == 401


def test_an_access_token_is_not_a_refresh_token(anon: APIClient, alice: User) -> None:
    tokens = _login(anon)
    assert anon.post(REFRESH, {"refresh": tokens["access"]}).status_code == 401


def test_garbage_and_missing_refresh_tokens_are_clear_errors(anon: APIClient) -> None:
    assert anon.post(REFRESH, {"refresh": "garbage"}).status_code == 401
    missing = anon.post(REFRESH, {})
    assert missing.status_code == 400
    assert "refresh" in missing.json()["fields"]


def test_logout_revokes_the_refresh_token_from_the_body(anon: APIClient, alice: User) -> None:
    tokens = _login(anon)
    me = _bearer(tokens["access"])
    assert me.post("/api/accounts/logout/", {"refresh": tokens["refresh"]}).status_code == 204
    assert anon.post(REFRESH, {"refresh": tokens["refresh"]}).status_code == 401


def test_logout_refuses_someone_elses_refresh_token(
    anon: APIClient, alice: User, bob: User
) -> None:
    alice_tokens = _login(anon)
    bob_tokens = _login(anon, "bob@example.com")
    response = _bearer(alice_tokens["access"]).post(
        "/api/accounts/logout/", {"refresh": bob_tokens["refresh"]}
    )
    assert response.status_code == 400
    assert anon.post(REFRESH, {"refresh": bob_tokens["refresh"]}).status_code == 200


def test_logout_needs_authentication(anon: APIClient) -> None:
    assert anon.post("/api/accounts/logout/", {"refresh": "x"}).status_code == 401


def test_password_change_revokes_other_sessions_and_keeps_this_one(
    anon: APIClient, alice: User
) -> None:
    other_session = _login(anon)
    this_session = _login(anon)
    response = _bearer(this_session["access"]).post(
        "/api/accounts/password/change/",
        {
            "old_password": PASSWORD,
            "new_password1": "a-brand-new-passphrase",
            "new_password2": "a-brand-new-passphrase",
        },
    )
    assert response.status_code == 200, response.json()
    assert _bearer(response.json()["access"]).get(ME).status_code == 200
    assert _bearer(other_session["access"]).get(ME).status_code == 401
    assert anon.post(REFRESH, {"refresh": other_session["refresh"]}).status_code == 401
    assert anon.post(REFRESH, {"refresh": this_session["refresh"]}).status_code == 401
    _login(anon, password="a-brand-new-passphrase")


def test_password_change_requires_the_old_password(anon: APIClient, alice: User) -> None:
    tokens = _login(anon)
    response = _bearer(tokens["access"]).post(
        "/api/accounts/password/change/",
        {"old_password": "wrong", "new_password1": "x-y-z-w-1234", "new_password2": "x-y-z-w-1234"},
    )
    assert response.status_code == 400
    assert "old_password" in response.json()["fields"]
    weak = _bearer(tokens["access"]).post(
        "/api/accounts/password/change/",
        {"old_password": PASSWORD, "new_password1": "1234", "new_password2": "1234"},
    )
    assert weak.status_code == 400
    assert "new_password2" in weak.json()["fields"]


def test_deactivated_users_tokens_stop_working(anon: APIClient, alice: User) -> None:
    tokens = _login(anon)
    User.objects.filter(pk=alice.pk).update(is_active=False)
    assert _bearer(tokens["access"]).get(ME).status_code == 401
    assert anon.post(REFRESH, {"refresh": tokens["refresh"]}).status_code == 401


def test_tokens_name_the_user_by_uuid_not_handle(anon: APIClient, alice: User) -> None:
    tokens = _login(anon)
    alice.handle = "alice_renamed"
    alice.save()
    assert _bearer(tokens["access"]).get(ME).json()["handle"] == "alice_renamed"


def test_each_token_names_its_own_user_and_a_bad_subject_is_a_401(alice: User, bob: User) -> None:
    """The user lookup is one query compiled once (``accounts.tokens``): tokens of two users in
    turn each get their own, and a signed token whose subject is unknown, not a uuid, or
    missing gets the same 401 as a revoked one, never a 500."""
    for user in (alice, bob, alice):
        assert _bearer(tokens_for_user(user=user)["access"]).get(ME).json()["handle"] == user.handle
    for sub in (str(uuid.uuid4()), "not-a-uuid", 17, ""):
        token = AccessToken.for_user(alice)
        token["sub"] = sub
        response = _bearer(str(token)).get(ME)
        assert response.status_code == 401, (sub, response.content)
        assert response.json()["code"] == "token_not_valid"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_of_twenty_parallel_refreshes_of_one_token_exactly_one_wins(alice: User) -> None:
    refresh = tokens_for_user(user=alice)["refresh"]
    barrier = threading.Barrier(20)
    statuses: list[int] = []
    lock = threading.Lock()

    def attempt() -> None:
        client = APIClient()
        barrier.wait()
        try:
            status = client.post(REFRESH, {"refresh": refresh}).status_code
        finally:
            connection.close()
        with lock:
            statuses.append(status)

    threads = [threading.Thread(target=attempt) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [200] + [401] * 19
