"""DRF's per-user and per-address throttles in one Redis round trip per request.

DRF's ``SimpleRateThrottle`` reads a list of every request time of the window from the cache,
trims it, and writes it back: two round trips, a pickled list that grows with the rate (1,200
floats for a busy user at 1,200/min, millions with the benchmark's raised limits), and a race
between the read and the write. Here each client has a counter per fixed window; one pipeline
increments this window's counter, sets its expiry and reads the previous window's, and the
request is allowed while the sliding estimate ``previous * (share of the previous window still
inside the last <duration>) + current`` stays within the rate (the usual sliding-window
counter). With the cache unreachable a request is allowed (and logged). A refused request
takes its count back (a second round trip, only when refusing), so
being throttled does not extend the wait.

Keys, rates and settings are DRF's (``DEFAULT_THROTTLE_RATES``, ``NUM_PROXIES``); any Django
cache works (the local-memory cache in tests), Redis in one round trip.
"""

from __future__ import annotations

import contextlib
import logging
import math
from typing import Any

from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError
from rest_framework import throttling

logger = logging.getLogger(__name__)


def _counts(key: str, window: int, duration: int) -> tuple[int, int]:
    """(this window's count after adding one, the previous window's count)."""
    current, previous = f"{key}:{window}", f"{key}:{window - 1}"
    backend = caches["default"]
    if isinstance(backend, RedisCache):
        made_current, made_previous = backend.make_key(current), backend.make_key(previous)
        client = backend._cache.get_client(made_current, write=True)
        pipe = client.pipeline(transaction=False)
        pipe.incr(made_current)
        pipe.expire(made_current, 2 * duration)
        pipe.get(made_previous)
        count, _, before = pipe.execute()
        return int(count), int(before or 0)
    backend.add(current, 0, timeout=2 * duration)
    try:
        count = backend.incr(current)
    except ValueError:  # expired between add and incr
        backend.add(current, 1, timeout=2 * duration)
        count = 1
    return int(count), int(backend.get(previous) or 0)


def _take_back(key: str, window: int) -> None:
    with contextlib.suppress(ValueError):  # the window ended meanwhile
        caches["default"].decr(f"{key}:{window}")


class OneTripRateThrottle(throttling.SimpleRateThrottle):
    """``SimpleRateThrottle`` with a sliding-window counter (module docstring)."""

    def allow_request(self, request: Any, view: Any) -> bool:
        if self.rate is None:
            return True
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        this: Any = self  # DRF's stubs leave out the attributes __init__ sets
        duration, limit = int(this.duration), int(this.num_requests)
        self.now = self.timer()
        window, into = divmod(self.now, duration)
        try:
            count, previous = _counts(self.key, int(window), duration)
        except (OSError, RedisError):
            # A throttle is a guard, not a dependency: with the cache unreachable the request
            # goes on (the readiness check reports the cache), as a view counter does.
            logger.warning("throttle cache unavailable; request allowed", exc_info=True)
            return True
        weight = 1 - into / duration
        if previous * weight + count <= limit:
            return True
        _take_back(self.key, int(window))
        # Allowed again once the previous window's share has shrunk enough, or this window
        # ends, whichever is first.
        room = limit - (count - 1)
        if previous and room > 0:
            self._wait = max(0.0, (weight - room / previous) * duration)
        else:
            self._wait = duration - into
        return False

    def wait(self) -> float | None:
        this: Any = self
        return math.ceil(getattr(this, "_wait", this.duration or 0))


class AnonRateThrottle(OneTripRateThrottle, throttling.AnonRateThrottle):
    """DRF's anonymous throttle (per client address, scope ``anon``) in one round trip."""


class UserRateThrottle(OneTripRateThrottle, throttling.UserRateThrottle):
    """DRF's per-user throttle (per user id, or address when signed out; scope ``user``)."""
