"""A checked access token is remembered by its exact bytes until it expires; what it does not
skip still applies at once: revocation, deactivation and suspension (the user row is read on
every request), expiry, and any other byte of the token."""

from __future__ import annotations

import threading
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import AccessToken

from tangerine.accounts import authentication
from tangerine.accounts.authentication import VERIFIED_TOKENS, VerifiedTokens
from tangerine.accounts.models import User
from tangerine.accounts.tokens import TOKEN_VERSION_CLAIM, tokens_for_user

pytestmark = pytest.mark.django_db
ME = "/api/accounts/me/"


def _get(token: str) -> Any:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client.get(ME)


@pytest.fixture
def decodes(monkeypatch: pytest.MonkeyPatch) -> list[bytes]:
    """The tokens checked in full (simplejwt's own get_validated_token)."""
    seen: list[bytes] = []
    parent = authentication.authentication.JWTAuthentication.get_validated_token

    def counting(self: Any, raw: bytes) -> Any:
        seen.append(raw)
        return parent(self, raw)

    monkeypatch.setattr(
        authentication.authentication.JWTAuthentication, "get_validated_token", counting
    )
    return seen


def test_a_token_is_checked_once_and_then_found(alice: User, decodes: list[bytes]) -> None:
    access = tokens_for_user(user=alice)["access"]
    for _ in range(3):
        response = _get(access)
        assert response.status_code == 200 and response.json()["handle"] == "alice"
    assert decodes == [access.encode()]
    assert len(VERIFIED_TOKENS) == 1


def test_revocation_deactivation_and_suspension_apply_to_a_remembered_token(
    alice: User, bob: User, carol: User
) -> None:
    tokens = {user.handle: tokens_for_user(user=user)["access"] for user in (alice, bob, carol)}
    assert all(_get(token).status_code == 200 for token in tokens.values())
    User.objects.filter(pk=alice.pk).update(token_version=alice.token_version + 1)
    User.objects.filter(pk=bob.pk).update(is_active=False)
    User.objects.filter(pk=carol.pk).update(suspended_at=timezone.now())
    for token in tokens.values():
        refused = _get(token)
        assert refused.status_code == 401, refused.json()
        assert refused.json()["code"] == "token_not_valid"


def test_an_expired_token_is_refused_though_it_was_remembered(
    alice: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    token = AccessToken.for_user(alice)
    token[TOKEN_VERSION_CLAIM] = alice.token_version
    access = str(token)
    assert _get(access).status_code == 200
    expires = token.payload["exp"]
    monkeypatch.setattr(VERIFIED_TOKENS, "clock", lambda: expires - 0.5)
    assert _get(access).status_code == 200  # still inside its lifetime: found
    # Past its expiry the remembered answer is gone; checked in full, simplejwt's leeway
    # (5 s) still accepts it, and after that it is refused.
    monkeypatch.setattr(VERIFIED_TOKENS, "clock", lambda: expires + 0.5)
    assert VERIFIED_TOKENS.get(access.encode()) is None
    # Inside the leeway it is accepted, checked in full each time, and not remembered again.
    assert _get(access).status_code == 200
    assert len(VERIFIED_TOKENS) == 0
    signed_long_ago = AccessToken.for_user(alice)
    signed_long_ago[TOKEN_VERSION_CLAIM] = alice.token_version
    signed_long_ago.set_exp(from_time=timezone.now() - timedelta(minutes=10))
    stale = str(signed_long_ago)
    assert _get(stale).status_code == 401
    assert VERIFIED_TOKENS.get(stale.encode()) is None


def test_any_other_byte_is_checked_in_full(alice: User, decodes: list[bytes]) -> None:
    access = tokens_for_user(user=alice)["access"]
    assert _get(access).status_code == 200
    head, payload, signature = access.split(".")
    flipped = signature[:-2] + ("A" if signature[-2] != "A" else "B") + signature[-1]
    for forged in (f"{head}.{payload}.{flipped}", f"{head}.{payload}.", access + "x"):
        refused = _get(forged)
        assert refused.status_code == 401, forged
    assert decodes[0] == access.encode() and len(decodes) == 4  # each forgery in full
    assert len(VERIFIED_TOKENS) == 1


def test_a_refresh_token_never_authenticates_even_after_an_access_token_did(
    alice: User,
) -> None:
    pair = tokens_for_user(user=alice)
    assert _get(pair["access"]).status_code == 200
    assert _get(pair["refresh"]).status_code == 401
    assert len(VERIFIED_TOKENS) == 1


def test_the_store_stays_bounded_and_drops_expired_ones_first() -> None:
    now = [1_000.0]
    store = VerifiedTokens(size=8, clock=lambda: now[0])

    class Stub:
        def __init__(self, exp: float) -> None:
            self.payload = {"exp": exp}

    for i in range(8):
        store.keep(f"t{i}".encode(), Stub(1_010 if i % 2 else 1_100))  # type: ignore[arg-type]
    assert len(store) == 8
    now[0] = 1_050.0  # the odd ones have expired
    store.keep(b"new", Stub(1_200))  # type: ignore[arg-type]
    assert len(store) == 5
    assert store.get(b"t0") is not None and store.get(b"t1") is None
    for i in range(20):
        store.keep(f"more{i}".encode(), Stub(1_300))  # type: ignore[arg-type]
    assert len(store) <= 8
    assert store.get(b"more19") is not None  # the newest stay, the oldest went
    store.keep(b"no-exp", type("NoExp", (), {"payload": {}})())
    store.keep(b"bool-exp", Stub(True))  # type: ignore[arg-type]
    size = len(store)
    store.keep(b"already-expired", Stub(1_050))  # type: ignore[arg-type]
    assert len(store) == size  # nothing kept
    assert store.get(b"no-exp") is None and store.get(b"bool-exp") is None


def test_threads_checking_tokens_at_once_each_get_their_own(alice: User, bob: User) -> None:
    """Six tokens on six threads, twenty times each (the claims only: the threads have no
    test database of their own)."""
    tokens = [tokens_for_user(user=u)["access"] for u in (alice, bob) for _ in range(3)]
    subjects = {t: str(u.uuid) for t, u in zip(tokens, [alice] * 3 + [bob] * 3, strict=True)}
    results: list[tuple[str, str]] = []
    lock = threading.Lock()
    jwt = authentication.JWTAuthentication()

    def work(token: str) -> None:
        for _ in range(20):
            claims = jwt.get_validated_token(token.encode())
            with lock:
                results.append((token, str(claims["sub"])))

    threads = [threading.Thread(target=work, args=(t,)) for t in tokens]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert len(results) == 120
    assert all(sub == subjects[token] for token, sub in results)
    assert len(VERIFIED_TOKENS) == 6
