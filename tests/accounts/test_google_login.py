"""Google sign-in against a local fake of Google's endpoints with keys of its own."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from rest_framework.test import APIClient

from tangerine.accounts.google import _jwks_client
from tangerine.accounts.models import SocialAccount, User
from tests.support.fake_google import CLIENT_ID, FakeGoogle

pytestmark = pytest.mark.django_db
URL = "/api/accounts/google/login/"


@pytest.fixture
def google(settings: object) -> Iterator[FakeGoogle]:
    fake = FakeGoogle().start()
    settings.GOOGLE_CLIENT_ID = CLIENT_ID  # type: ignore[attr-defined]
    settings.GOOGLE_CLIENT_SECRET = "test-secret"  # type: ignore[attr-defined]
    settings.GOOGLE_JWKS_URL = f"{fake.base_url}/certs"  # type: ignore[attr-defined]
    settings.GOOGLE_TOKEN_URL = f"{fake.base_url}/token"  # type: ignore[attr-defined]
    _jwks_client.cache_clear()
    yield fake
    fake.stop()
    _jwks_client.cache_clear()


def test_a_valid_id_token_creates_an_account_and_returns_tokens(
    anon: APIClient, google: FakeGoogle
) -> None:
    response = anon.post(URL, {"id_token": google.id_token()})
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["access"] and body["refresh"]
    assert body["user"]["email"] == "gina@gmail.com"
    assert body["user"]["display_name"] == "Gina 지나"
    user = User.objects.get(email="gina@gmail.com")
    assert not user.has_usable_password()
    assert SocialAccount.objects.filter(user=user, provider="google", subject="google-sub-1")


def test_signing_in_again_finds_the_same_account(anon: APIClient, google: FakeGoogle) -> None:
    first = anon.post(URL, {"id_token": google.id_token()}).json()["user"]["handle"]
    second = anon.post(URL, {"id_token": google.id_token()}).json()["user"]["handle"]
    assert first == second
    assert User.objects.count() == 1


def test_a_verified_google_email_links_the_existing_account(
    anon: APIClient, google: FakeGoogle, alice: User
) -> None:
    response = anon.post(URL, {"id_token": google.id_token(email="alice@example.com")})
    assert response.status_code == 200
    assert response.json()["user"]["handle"] == "alice"


@pytest.mark.parametrize(
    ("claims", "why"),
    [
        ({"aud": "someone-elses-app.apps.googleusercontent.com"}, "wrong audience"),
        ({"expires_in": -3600}, "expired"),
        ({"iss": "https://evil.example.com"}, "wrong issuer"),
        ({"email_verified": False}, "unverified e-mail"),
    ],
)
def test_bad_id_tokens_are_refused(
    anon: APIClient, google: FakeGoogle, alice: User, claims: dict[str, Any], why: str
) -> None:
    response = anon.post(URL, {"id_token": google.id_token(email="alice@example.com", **claims)})
    assert response.status_code == 401, why
    assert not SocialAccount.objects.exists()


def test_a_token_signed_by_another_key_is_refused(anon: APIClient, google: FakeGoogle) -> None:
    other_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    response = anon.post(URL, {"id_token": google.id_token(key=other_key)})
    assert response.status_code == 401
    assert not User.objects.exists()


def test_garbage_instead_of_a_token_is_refused(anon: APIClient, google: FakeGoogle) -> None:
    assert anon.post(URL, {"id_token": "not.a.jwt"}).status_code == 401


def test_the_code_flow_exchanges_the_code_with_pkce(anon: APIClient, google: FakeGoogle) -> None:
    code = google.issue_code(email="kim@gmail.com", sub="sub-kim")
    response = anon.post(
        URL,
        {
            "code": code,
            "redirect_uri": "http://127.0.0.1:3000/auth/google",
            "code_verifier": "v" * 43,
        },
    )
    assert response.status_code == 200, response.json()
    assert response.json()["user"]["email"] == "kim@gmail.com"
    sent = google.token_requests[-1]
    assert sent["client_id"] == [CLIENT_ID]
    assert sent["code_verifier"] == ["v" * 43]
    assert sent["grant_type"] == ["authorization_code"]


def test_an_unknown_code_is_refused(anon: APIClient, google: FakeGoogle) -> None:
    response = anon.post(URL, {"code": "nope", "redirect_uri": "http://127.0.0.1:3000/cb"})
    assert response.status_code == 401


def test_body_must_carry_exactly_one_credential(anon: APIClient, google: FakeGoogle) -> None:
    assert anon.post(URL, {}).status_code == 400
    both = anon.post(URL, {"id_token": "a", "code": "b", "redirect_uri": "http://x.example/"})
    assert both.status_code == 400
    assert anon.post(URL, {"code": "b"}).json()["fields"]["redirect_uri"]


def test_unreachable_google_is_a_503_not_a_500(
    anon: APIClient, google: FakeGoogle, settings: object
) -> None:
    settings.GOOGLE_JWKS_URL = "http://127.0.0.1:9/certs"  # type: ignore[attr-defined]
    _jwks_client.cache_clear()
    response = anon.post(URL, {"id_token": google.id_token()})
    assert response.status_code == 503
    assert response.json()["code"] == "service_unavailable"


def test_without_configuration_google_login_is_a_clear_400(
    anon: APIClient, settings: object
) -> None:
    settings.GOOGLE_CLIENT_ID = None  # type: ignore[attr-defined]
    response = anon.post(URL, {"id_token": "x.y.z"})
    assert response.status_code == 400
    assert "not configured" in response.json()["fields"]["non_field_errors"][0]


@pytest.mark.parametrize(
    ("answer", "status"),
    [(b"<html>Service unavailable</html>", 503), (b'["id_token"]', 401)],
)
def test_a_token_endpoint_answering_nonsense_is_not_a_500(
    anon: APIClient, google: FakeGoogle, answer: bytes, status: int
) -> None:
    google.raw_token_answer = answer
    code = google.issue_code()
    response = anon.post(URL, {"code": code, "redirect_uri": "http://127.0.0.1:3000/cb"})
    assert response.status_code == status, response.content
    assert set(response.json()) == {"code", "detail"}


def test_linking_google_ends_a_password_someone_else_may_have_chosen(
    anon: APIClient, google: FakeGoogle
) -> None:
    """Account pre-hijacking: an attacker registers the victim's address with a password they
    know (we never verify the mailbox); when the victim signs in with Google, the attacker's
    password and sessions must stop working."""
    password = "Attacker-knows-this-77"
    registered = anon.post(
        "/api/accounts/registration/",
        {"email": "gina@gmail.com", "handle": "gina", "password1": password, "password2": password},
    )
    assert registered.status_code == 201, registered.json()
    attacker_refresh = registered.json()["refresh"]
    attacker_access = registered.json()["access"]

    victim = anon.post(URL, {"id_token": google.id_token(email="gina@gmail.com")})
    assert victim.status_code == 200
    assert victim.json()["user"]["handle"] == "gina"

    login = anon.post("/api/accounts/login/", {"email": "gina@gmail.com", "password": password})
    assert login.status_code == 401
    refreshed = anon.post("/api/accounts/token/refresh/", {"refresh": attacker_refresh})
    assert refreshed.status_code == 401
    attacker = APIClient()
    attacker.credentials(HTTP_AUTHORIZATION=f"Bearer {attacker_access}")
    assert attacker.get("/api/accounts/me/").status_code == 401
    # The victim's own session works, and a reset e-mail can give the account a password again.
    victim_client = APIClient()
    victim_client.credentials(HTTP_AUTHORIZATION=f"Bearer {victim.json()['access']}")
    assert victim_client.get("/api/accounts/me/").status_code == 200


def test_a_google_only_account_can_set_a_password_by_reset_mail(
    anon: APIClient, google: FakeGoogle, mailoutbox: list[Any]
) -> None:
    assert anon.post(URL, {"id_token": google.id_token()}).status_code == 200
    response = anon.post("/api/accounts/password/reset/", {"email": "gina@gmail.com"})
    assert response.status_code == 200
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["gina@gmail.com"]
