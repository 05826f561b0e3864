"""The web app's Google sign-in: config, then authorization code + PKCE against the local fake."""

from __future__ import annotations

import base64
import hashlib
import secrets
from collections.abc import Iterator
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
import pytest
from rest_framework.test import APIClient

from tangerine.accounts.google import _jwks_client
from tests.support.fake_google import CLIENT_ID, FakeGoogle

pytestmark = pytest.mark.django_db
REDIRECT = "http://127.0.0.1:3000/login/google"


@pytest.fixture
def google(settings: object) -> Iterator[FakeGoogle]:
    fake = FakeGoogle().start()
    settings.GOOGLE_CLIENT_ID = CLIENT_ID  # type: ignore[attr-defined]
    settings.GOOGLE_CLIENT_SECRET = "test-secret"  # type: ignore[attr-defined]
    settings.GOOGLE_JWKS_URL = f"{fake.base_url}/certs"  # type: ignore[attr-defined]
    settings.GOOGLE_TOKEN_URL = f"{fake.base_url}/token"  # type: ignore[attr-defined]
    settings.GOOGLE_AUTH_URL = f"{fake.base_url}/auth"  # type: ignore[attr-defined]
    _jwks_client.cache_clear()
    yield fake
    fake.stop()
    _jwks_client.cache_clear()


def _pkce() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    digest = hashlib.sha256(verifier.encode()).digest()
    return verifier, base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def _authorize(config: dict[str, str], challenge: str, state: str) -> dict[str, str]:
    """What the browser does: go to Google, come back to the redirect URI with a code."""
    query = urlencode(
        {
            "client_id": config["client_id"],
            "redirect_uri": REDIRECT,
            "response_type": "code",
            "scope": config["scope"],
            "code_challenge": challenge,
            "code_challenge_method": "S256",
            "state": state,
        }
    )
    answer = httpx.get(f"{config['authorization_url']}?{query}", follow_redirects=False)
    assert answer.status_code == 302
    location = urlsplit(answer.headers["location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == REDIRECT
    return {k: v[0] for k, v in parse_qs(location.query).items()}


def test_config_says_off_without_a_client_id(anon: APIClient, settings: object) -> None:
    settings.GOOGLE_CLIENT_ID = None  # type: ignore[attr-defined]
    body = anon.get("/api/accounts/google/config/").json()
    assert body["enabled"] is False
    assert body["client_id"] == ""


def test_code_and_pkce_sign_in(anon: APIClient, google: FakeGoogle) -> None:
    config = anon.get("/api/accounts/google/config/").json()
    assert config["enabled"] is True
    assert config["client_id"] == CLIENT_ID
    google.next_identity = {"sub": "web-sub-7", "email": "web@gmail.com", "name": "웹 사용자"}
    verifier, challenge = _pkce()
    back = _authorize(config, challenge, state="s-123")
    assert back["state"] == "s-123"
    answer = anon.post(
        "/api/accounts/google/login/",
        {"code": back["code"], "redirect_uri": REDIRECT, "code_verifier": verifier},
    )
    assert answer.status_code == 200, answer.json()
    assert answer.json()["user"]["email"] == "web@gmail.com"
    assert google.auth_requests[-1]["code_challenge_method"] == "S256"


def test_a_wrong_verifier_or_redirect_is_refused(anon: APIClient, google: FakeGoogle) -> None:
    config = anon.get("/api/accounts/google/config/").json()
    google.next_identity = {"sub": "web-sub-8", "email": "other@gmail.com"}
    _, challenge = _pkce()
    back = _authorize(config, challenge, state="x")
    wrong = anon.post(
        "/api/accounts/google/login/",
        {"code": back["code"], "redirect_uri": REDIRECT, "code_verifier": "not-the-verifier" * 3},
    )
    assert wrong.status_code == 401
    verifier, challenge = _pkce()
    back = _authorize(config, challenge, state="y")
    elsewhere = anon.post(
        "/api/accounts/google/login/",
        {"code": back["code"], "redirect_uri": "http://evil.example/cb", "code_verifier": verifier},
    )
    assert elsewhere.status_code == 401
