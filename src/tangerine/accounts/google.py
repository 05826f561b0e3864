"""Verify Google sign-in: an ID token, or an authorization code exchanged for one.

Only an ID token whose audience is our client id, signed by one of Google's keys (fetched from
``GOOGLE_JWKS_URL``), unexpired and from Google's issuer, is accepted. A bare access token is
never accepted: checking one through userinfo would accept tokens minted for any app.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import httpx
import jwt
from django.conf import settings
from rest_framework.exceptions import ValidationError

from tangerine.core.exceptions import Unauthorized


@dataclass(frozen=True)
class GoogleIdentity:
    subject: str
    email: str
    email_verified: bool
    name: str


class GoogleUnavailableError(Exception):
    """Google's endpoints could not be reached."""


@lru_cache(maxsize=4)
def _jwks_client(url: str) -> jwt.PyJWKClient:
    return jwt.PyJWKClient(url, cache_keys=True, lifespan=3600, timeout=5)


def _client_id() -> str:
    if not settings.GOOGLE_CLIENT_ID:
        raise ValidationError({"non_field_errors": ["Google sign-in is not configured."]})
    return settings.GOOGLE_CLIENT_ID


def google_verify_id_token(*, id_token: str) -> GoogleIdentity:
    client_id = _client_id()
    try:
        signing_key = _jwks_client(settings.GOOGLE_JWKS_URL).get_signing_key_from_jwt(id_token)
    except jwt.PyJWKClientConnectionError as exc:
        raise GoogleUnavailableError(str(exc)) from exc
    except jwt.PyJWTError as exc:
        raise Unauthorized("The Google ID token is not valid.") from exc
    try:
        claims = jwt.decode(
            id_token,
            key=signing_key.key,
            algorithms=["RS256"],
            audience=client_id,
            options={"require": ["exp", "iat", "iss", "aud", "sub"]},
            leeway=10,
        )
    except jwt.PyJWTError as exc:
        raise Unauthorized(f"The Google ID token is not valid: {exc}") from exc
    if claims.get("iss") not in settings.GOOGLE_ISSUERS:
        raise Unauthorized("The Google ID token has an unknown issuer.")
    email = str(claims.get("email") or "")
    verified = claims.get("email_verified") in (True, "true")
    if not email or not verified:
        raise Unauthorized("Google did not confirm this e-mail address.")
    return GoogleIdentity(
        subject=str(claims["sub"]),
        email=email.lower(),
        email_verified=verified,
        name=str(claims.get("name") or "")[:50],
    )


def google_exchange_code(*, code: str, redirect_uri: str, code_verifier: str | None) -> str:
    """Exchange an authorization code (with its PKCE verifier) for an ID token."""
    client_id = _client_id()
    data = {
        "code": code,
        "client_id": client_id,
        "client_secret": settings.GOOGLE_CLIENT_SECRET or "",
        "redirect_uri": redirect_uri,
        "grant_type": "authorization_code",
    }
    if code_verifier:
        data["code_verifier"] = code_verifier
    try:
        response = httpx.post(settings.GOOGLE_TOKEN_URL, data=data, timeout=5)
    except httpx.HTTPError as exc:
        raise GoogleUnavailableError(str(exc)) from exc
    if response.status_code != 200:
        raise Unauthorized("Google refused the authorization code.")
    try:
        answer = response.json()
    except ValueError:
        raise GoogleUnavailableError("Google's token endpoint did not answer JSON.") from None
    id_token = answer.get("id_token") if isinstance(answer, dict) else None
    if not isinstance(id_token, str):
        raise Unauthorized("Google's answer carried no ID token.")
    return id_token
