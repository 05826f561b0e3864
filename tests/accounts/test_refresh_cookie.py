"""The refresh token as an HttpOnly cookie for browsers (``X-Refresh-Cookie: 1``, issue 10).

Django's test client keeps the cookies a response sets and sends them back with later requests
(whatever their path), as a browser would on the cookie's own path; tests that need another
cookie value set it on the client.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from http.cookies import Morsel
from typing import Any

import pytest
from django.db import connection
from rest_framework.test import APIClient

from tangerine.accounts.models import User
from tangerine.accounts.refresh_cookie import LOGOUT_PATH, REFRESH_PATH
from tangerine.accounts.tokens import tokens_for_user
from tests.accounts.test_tokens import _bearer
from tests.support.api import PASSWORD

pytestmark = pytest.mark.django_db
LOGIN = "/api/accounts/login/"
ME = "/api/accounts/me/"
NAME = "tangerine_refresh"
LOGOUT_NAME = "tangerine_refresh_logout"
COOKIE_MODE: dict[str, Any] = {"HTTP_X_REFRESH_COOKIE": "1"}
FOURTEEN_DAYS = 14 * 24 * 3600


def _cookie_login(client: APIClient, email: str = "alice@example.com") -> dict:
    response = client.post(LOGIN, {"email": email, "password": PASSWORD}, **COOKIE_MODE)
    assert response.status_code == 200, response.json()
    return response.json()


def _assert_refresh_cookies(cookies: dict[str, Morsel[str]]) -> str:
    """Both copies are set alike on their own path; returns the token."""
    refresh, logout = cookies[NAME], cookies[LOGOUT_NAME]
    assert refresh.value and refresh.value == logout.value
    for morsel, path in ((refresh, REFRESH_PATH), (logout, LOGOUT_PATH)):
        assert morsel["path"] == path
        assert morsel["httponly"] is True
        assert morsel["samesite"] == "Strict"
        # The tests run with DEBUG off, as production: Secure by default.
        assert morsel["secure"] is True
        assert morsel["max-age"] == FOURTEEN_DAYS
        assert not morsel["domain"]
    return refresh.value


def _assert_cleared(cookies: dict[str, Morsel[str]]) -> None:
    for name, path in ((NAME, REFRESH_PATH), (LOGOUT_NAME, LOGOUT_PATH)):
        assert cookies[name].value == ""
        assert cookies[name]["max-age"] == 0
        assert cookies[name]["path"] == path


def test_login_sets_the_refresh_cookie_and_leaves_it_out_of_the_body(
    anon: APIClient, alice: User
) -> None:
    response = anon.post(LOGIN, {"email": "alice@example.com", "password": PASSWORD}, **COOKIE_MODE)
    assert response.status_code == 200
    body = response.json()
    assert "refresh" not in body
    assert body["user"]["handle"] == "alice"
    token = _assert_refresh_cookies(response.cookies)
    assert token not in response.content.decode()
    assert _bearer(body["access"]).get(ME).status_code == 200
    # The cookie is a working refresh token (body mode accepts it too).
    assert APIClient().post(REFRESH_PATH, {"refresh": token}).status_code == 200


def test_registration_and_password_change_set_the_cookie_too(anon: APIClient) -> None:
    response = anon.post(
        "/api/accounts/registration/",
        {
            "email": "newcomer@example.com",
            "handle": "newcomer",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
        **COOKIE_MODE,
    )
    assert response.status_code == 201, response.json()
    assert "refresh" not in response.json()
    first = _assert_refresh_cookies(response.cookies)

    changed = _bearer(response.json()["access"]).post(
        "/api/accounts/password/change/",
        {
            "old_password": PASSWORD,
            "new_password1": "a-brand-new-passphrase",
            "new_password2": "a-brand-new-passphrase",
        },
        **COOKIE_MODE,
    )
    assert changed.status_code == 200, changed.json()
    assert "refresh" not in changed.json()
    second = _assert_refresh_cookies(changed.cookies)
    assert second != first
    # The password change revoked every earlier token, the cookie's included.
    assert APIClient().post(REFRESH_PATH, {"refresh": first}).status_code == 401


def test_refresh_from_the_cookie_rotates_it_and_the_old_one_is_refused(
    anon: APIClient, alice: User
) -> None:
    _cookie_login(anon)
    first = anon.cookies[NAME].value
    rotated = anon.post(REFRESH_PATH, **COOKIE_MODE)
    assert rotated.status_code == 200, rotated.json()
    assert set(rotated.json()) == {"access"}
    second = _assert_refresh_cookies(rotated.cookies)
    assert second != first
    assert _bearer(rotated.json()["access"]).get(ME).status_code == 200

    # The client now holds the new cookie: it refreshes again.
    assert anon.post(REFRESH_PATH, **COOKIE_MODE).status_code == 200

    # The old cookie is revoked (blacklisted), from the cookie and from the body alike.
    stale = APIClient()
    stale.cookies[NAME] = first
    refused = stale.post(REFRESH_PATH, **COOKIE_MODE)
    assert refused.status_code == 401
    assert refused.json()["code"] == "token_not_valid"
    assert NAME not in refused.cookies  # a refused refresh sets nothing
    assert APIClient().post(REFRESH_PATH, {"refresh": first}).status_code == 401


def test_a_cookie_refresh_without_a_cookie_is_401(anon: APIClient) -> None:
    response = anon.post(REFRESH_PATH, **COOKIE_MODE)
    assert response.status_code == 401
    assert response.json()["code"] == "token_not_valid"


def test_the_cookie_without_the_header_is_refused_and_stays_valid(
    anon: APIClient, alice: User
) -> None:
    """A cross-site form or image cannot set a custom header: the cookie alone refreshes nothing."""
    _cookie_login(anon)
    response = anon.post(REFRESH_PATH)
    assert response.status_code == 403
    assert response.json()["code"] == "refresh_cookie_header_required"
    assert NAME not in response.cookies
    assert anon.post(REFRESH_PATH, **COOKIE_MODE).status_code == 200


def test_a_cross_site_cookie_refresh_is_refused(anon: APIClient, alice: User) -> None:
    _cookie_login(anon)
    response = anon.post(REFRESH_PATH, HTTP_SEC_FETCH_SITE="cross-site", **COOKIE_MODE)
    assert response.status_code == 403
    assert response.json()["code"] == "refresh_cookie_cross_site"
    # Same-origin (what the web app sends through its proxy) is fine.
    same = anon.post(REFRESH_PATH, HTTP_SEC_FETCH_SITE="same-origin", **COOKIE_MODE)
    assert same.status_code == 200


def test_logout_revokes_the_cookie_and_clears_it(anon: APIClient, alice: User) -> None:
    access = _cookie_login(anon)["access"]
    token = anon.cookies[LOGOUT_NAME].value
    anon.credentials(HTTP_AUTHORIZATION=f"Bearer {access}")
    response = anon.post(LOGOUT_PATH, **COOKIE_MODE)
    assert response.status_code == 204
    _assert_cleared(response.cookies)
    assert APIClient().post(REFRESH_PATH, {"refresh": token}).status_code == 401


def test_logout_without_a_usable_cookie_still_clears_it(
    anon: APIClient, alice: User, bob: User
) -> None:
    access = _cookie_login(anon)["access"]
    for value in (None, "garbage", tokens_for_user(user=bob)["refresh"]):
        client = _bearer(access)
        if value is not None:
            client.cookies[LOGOUT_NAME] = value
        response = client.post(LOGOUT_PATH, **COOKIE_MODE)
        assert response.status_code == 204
        _assert_cleared(response.cookies)
    # Bob's session was not Alice's to end.
    assert APIClient().post(REFRESH_PATH, {"refresh": value}).status_code == 200


def test_body_mode_is_unchanged(anon: APIClient, alice: User) -> None:
    login = anon.post(LOGIN, {"email": "alice@example.com", "password": PASSWORD})
    assert login.status_code == 200
    assert login.json()["refresh"]
    assert not login.cookies
    rotated = anon.post(REFRESH_PATH, {"refresh": login.json()["refresh"]})
    assert rotated.status_code == 200
    assert set(rotated.json()) == {"access", "refresh"}
    assert not rotated.cookies
    missing = anon.post(REFRESH_PATH, {})
    assert missing.status_code == 400
    assert "refresh" in missing.json()["fields"]
    logout = _bearer(rotated.json()["access"]).post(LOGOUT_PATH, {})
    assert logout.status_code == 400
    assert "refresh" in logout.json()["fields"]


def test_the_schema_documents_the_cookie_mode(anon: APIClient) -> None:
    schema = anon.get("/api/schema/", {"format": "json"}).json()
    refresh = schema["paths"][REFRESH_PATH]["post"]
    names = {(p["in"], p["name"]) for p in refresh["parameters"]}
    assert {("header", "X-Refresh-Cookie"), ("cookie", NAME)} <= names
    assert {"401", "403"} <= set(refresh["responses"])
    login = schema["paths"][LOGIN]["post"]
    assert ("header", "X-Refresh-Cookie") in {(p["in"], p["name"]) for p in login["parameters"]}


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_of_twenty_parallel_cookie_refreshes_exactly_one_wins(alice: User) -> None:
    """As in body mode (test_tokens.py): rotation revokes the old token exactly once."""
    refresh = tokens_for_user(user=alice)["refresh"]
    barrier = threading.Barrier(20)

    def attempt(_: int) -> int:
        client = APIClient()
        client.cookies[NAME] = refresh
        barrier.wait()
        try:
            return client.post(REFRESH_PATH, **COOKIE_MODE).status_code
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=20) as pool:
        statuses = list(pool.map(attempt, range(20)))
    assert sorted(statuses) == [200] + [401] * 19
