"""An atomic fixed-window limiter for sensitive endpoints (login, registration, reset, uploads).

DRF's throttles read, then write, so parallel requests slip through; this limiter increments
first (``cache.add`` then ``cache.incr``, atomic in Redis and in the local-memory cache) and
decides on the value it got back.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from rest_framework.exceptions import Throttled


def parse_rate(rate: str) -> tuple[int, int]:
    """``"10/300"`` → (10 requests, 300 seconds)."""
    count, _, seconds = rate.partition("/")
    return int(count), int(seconds)


def _cache_key(scope: str, key: str) -> str:
    digest = hashlib.sha256(key.encode()).hexdigest()[:32]
    return f"rl:{scope}:{digest}"


def hit(*, scope: str, key: str, limit: int, window: int) -> bool:
    """Count one attempt for ``key``; return False once more than ``limit`` were made."""
    cache_key = _cache_key(scope, key)
    cache.add(cache_key, 0, timeout=window)
    try:
        value = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.add(cache_key, 1, timeout=window)
        value = 1
    return value <= limit


def enforce(*, scope: str, keys: list[str]) -> None:
    """Raise ``Throttled`` if any of ``keys`` (e.g. an account and an address) is over its limit."""
    limit, window = parse_rate(settings.AUTH_RATE_LIMITS[scope])
    over = [
        key for key in keys if key and not hit(scope=scope, key=key, limit=limit, window=window)
    ]
    if over:
        raise Throttled(wait=window, detail="Too many attempts. Try again later.")


def forgive(*, scope: str, keys: list[str]) -> None:
    """Take back one attempt counted by ``enforce`` for each of ``keys`` (say, a login that
    succeeded), so that only failures use up the limit. Counting first and forgiving after
    keeps the limit atomic: parallel guesses are all counted before any is decided."""
    for key in keys:
        if not key:
            continue
        try:
            if cache.decr(_cache_key(scope, key)) < 0:
                cache.delete(_cache_key(scope, key))
        except ValueError:  # the window ended meanwhile
            pass


def client_address(request: HttpRequest) -> str:
    """The client's address, trusting exactly NUM_PROXIES entries of X-Forwarded-For."""
    num_proxies = settings.NUM_PROXIES
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR")
    if num_proxies and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops:
            return hops[-min(num_proxies, len(hops))]
    return str(request.META.get("REMOTE_ADDR", ""))
