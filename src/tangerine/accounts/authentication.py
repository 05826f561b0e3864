from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

from rest_framework_simplejwt import authentication
from rest_framework_simplejwt.tokens import Token

from tangerine.accounts.tokens import TOKEN_VERSION_CLAIM, user_for_token_claims


class VerifiedTokens:
    """Access tokens whose signature and claims were checked, by their exact bytes, until they
    expire: a client sends the same token with every request for its whole lifetime (minutes),
    and checking it again (PyJWT decodes three base64 segments, checks their alphabet byte by
    byte in Python, parses two JSON documents, checks the key, the HMAC and the claims) was
    ~45 µs of CPU a request, more than DRF's throttles (issue 17).

    What a remembered token does not skip: the user row, read on every request, so revocation
    (``token_version``), deactivation and suspension apply at once; and expiry, compared on
    every use (without simplejwt's leeway: a token in its last seconds of grace is checked in
    full, which still accepts it). A token is only remembered after passing every check, and
    only that exact text finds it: any other byte is a different key, checked in full. At most
    ``size`` tokens per process; when full, expired ones go first, then the oldest.
    """

    def __init__(self, size: int = 4096, clock: Callable[[], float] = time.time) -> None:
        self.size = size
        self.clock = clock
        self._lock = threading.Lock()
        self._tokens: dict[bytes, tuple[float, Token]] = {}

    def get(self, raw: bytes) -> Token | None:
        found = self._tokens.get(raw)
        if found is None:
            return None
        expires, token = found
        if self.clock() < expires:
            return token
        with self._lock:
            self._tokens.pop(raw, None)
        return None

    def keep(self, raw: bytes, token: Token) -> None:
        expires = token.payload.get("exp")
        if not isinstance(expires, int | float) or isinstance(expires, bool):
            return
        if expires <= self.clock():
            return  # accepted within simplejwt's leeway: checked in full until it is refused
        with self._lock:
            if raw not in self._tokens and len(self._tokens) >= self.size:
                self._make_room()
            self._tokens[raw] = (float(expires), token)

    def _make_room(self) -> None:
        now = self.clock()
        expired = [raw for raw, (expires, _) in self._tokens.items() if expires <= now]
        for raw in expired or list(self._tokens)[: max(1, self.size // 8)]:
            del self._tokens[raw]

    def __len__(self) -> int:
        return len(self._tokens)

    def clear(self) -> None:
        with self._lock:
            self._tokens.clear()


VERIFIED_TOKENS = VerifiedTokens()


class JWTAuthentication(authentication.JWTAuthentication):
    """simplejwt's bearer authentication, plus our revocation rules.

    Only access tokens authenticate (simplejwt checks the type); the user must be active and not
    suspended, and the token's version must be the user's current one. A token already checked
    is found in ``VERIFIED_TOKENS`` (read-only: no caller changes a validated token).
    """

    verified = VERIFIED_TOKENS

    def get_validated_token(self, raw_token: bytes) -> Token:
        token = self.verified.get(raw_token)
        if token is None:
            token = super().get_validated_token(raw_token)
            self.verified.keep(raw_token, token)
        return token

    def get_user(self, validated_token: Any) -> Any:
        return user_for_token_claims(
            sub=validated_token.get("sub"), version=validated_token.get(TOKEN_VERSION_CLAIM)
        )
