"""JWT issue, rotation and revocation.

Tokens name the user by ``sub`` (the immutable uuid) and carry ``tv``, the user's token version;
bumping ``User.token_version`` revokes every token issued before. Refresh rotation revokes the
old refresh token insert-first (a unique row per token id), so of parallel refreshes of one
token exactly one wins.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken
from rest_framework_simplejwt.tokens import RefreshToken

from tangerine.core.compiled import NotCompilableError, Slot, compiled_query
from tangerine.core.exceptions import Unauthorized

if TYPE_CHECKING:
    from tangerine.accounts.models import User

TOKEN_VERSION_CLAIM = "tv"  # noqa: S105 (a claim name, not a secret)


def _invalid(detail: str = "Token is invalid or expired.") -> Unauthorized:
    return Unauthorized(detail=detail, code="token_not_valid")


def tokens_for_user(*, user: User) -> dict[str, str]:
    """A fresh access and refresh token pair (the refresh is recorded as outstanding)."""
    refresh = RefreshToken.for_user(user)
    refresh[TOKEN_VERSION_CLAIM] = user.token_version
    return {"access": str(refresh.access_token), "refresh": str(refresh)}


def user_for_token_claims(*, sub: Any, version: Any) -> User:
    """The active, unsuspended user a token names, if the token's version is current.

    ``sub`` and ``version`` are raw claims of a signature-checked token (JSON values).
    """
    try:
        key = uuid.UUID(str(sub)) if sub else None
    except ValueError:
        key = None
    user = _user_by_uuid(key) if key is not None else None
    if user is None or not user.is_active or user.is_suspended:
        raise _invalid("User not found or inactive.")
    if version != user.token_version:
        raise _invalid("Token has been revoked.")
    return user


def _user_by_uuid(key: uuid.UUID) -> User | None:
    """The user a token names, from a query compiled once (``core.compiled``): every
    authenticated request runs it, and building and compiling the queryset cost ~0.7 ms of
    CPU, a fifth of a feed page's in-process cost."""
    from tangerine.accounts.models import User

    def build(values: Any) -> QuerySet[User]:
        return User.objects.filter(uuid=values["uuid"]).order_by("pk")[:1]

    stand_ins = (uuid.UUID(int=17), uuid.UUID(int=19))
    slots = {"uuid": Slot(User._meta.get_field("uuid"), stand_ins)}
    try:
        rows = compiled_query("accounts.token_user", build, slots, User.objects.db).run(
            {"uuid": key}
        )
    except NotCompilableError:
        rows = list(build({"uuid": key}))
    return rows[0] if rows else None


def refresh_parse(*, raw: str) -> RefreshToken:
    """Verify a refresh token (signature, expiry, type, audience, blacklist)."""
    try:
        return RefreshToken(raw)  # type: ignore[arg-type]
    except TokenError as exc:
        raise _invalid() from exc


def refresh_revoke(*, token: RefreshToken) -> bool:
    """Revoke a refresh token; True if this call revoked it, False if it already was."""
    jti = token["jti"]
    with transaction.atomic():
        outstanding, _ = OutstandingToken.objects.get_or_create(
            jti=jti,
            defaults={
                "token": str(token),
                "created_at": timezone.now(),
                "expires_at": timezone.now(),
            },
        )
        try:
            with transaction.atomic():
                BlacklistedToken.objects.create(token=outstanding)
        except IntegrityError:
            return False
    return True


def token_rotate(*, raw: str) -> tuple[User, dict[str, str]]:
    """Exchange a refresh token for a new pair, revoking the old one exactly once."""
    token = refresh_parse(raw=raw)
    user = user_for_token_claims(sub=token.get("sub"), version=token.get(TOKEN_VERSION_CLAIM))
    if not refresh_revoke(token=token):
        raise _invalid("Token has been revoked.")
    return user, tokens_for_user(user=user)
