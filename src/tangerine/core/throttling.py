"""DRF's per-user and per-address throttles as sliding-window counters shared through the cache,
with a busy client's requests taken from the cache in batches.

DRF's ``SimpleRateThrottle`` reads a list of every request time of the window from the cache,
trims it, and writes it back: two round trips, a pickled list that grows with the rate (1,200
floats for a busy user at 1,200/min, millions with the benchmark's raised limits), and a race
between the read and the write. Here each client has a counter per fixed window, and a request
is allowed while the sliding estimate ``previous * (share of the previous window still inside
the last <duration>) + current`` stays within the rate (the usual sliding-window counter). One
pipeline adds to this window's counter, sets its expiry and reads the previous window's.

**Batches.** That round trip was a twentieth of a feed request's server CPU, paid by every
request. So a process that sees a client again in a window takes ``batch`` requests at once
from the counter (``rate // 100``, 1 to 20), lets this request through and keeps the rest for
the client's next requests, which then pass without a round trip. What is taken is counted in
the cache at once, so every process sees it and **no process, thread or mix of them ever lets
more than the rate through**. Near the rate a process takes only what still fits, one at a
time; a client's first request of a window in a process takes one (a client seen once a
minute costs what it did). The price is the other way: requests taken but not used count
against the client (at most ``batch - 1`` per process and window, 1 % of the rate), so a
client spread over ``P`` processes may be refused up to ``P * (batch - 1)`` requests early.

With ``batch`` 1 (rates under 200 per window) every request asks the cache, as before. A
refused request takes its count back (a second round trip, only when refusing), so being
throttled does not extend the wait. With the cache unreachable a request is allowed (and
logged).

Keys, rates and settings are DRF's (``DEFAULT_THROTTLE_RATES``, ``NUM_PROXIES``); any Django
cache works (the local-memory cache in tests), Redis in one round trip.
"""

from __future__ import annotations

import contextlib
import logging
import math
import threading
from dataclasses import dataclass
from typing import Any

from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError
from rest_framework import throttling

logger = logging.getLogger(__name__)

MAX_BATCH = 20
MAX_TALLIES = 10_000  # clients remembered per process; past this the oldest windows go first


def batch_for(limit: int) -> int:
    """How many requests of one client a process may let through between two cache reads."""
    return max(1, min(MAX_BATCH, limit // 100))


@dataclass
class Tally:
    """One process's requests in hand for one client in fixed window ``window``."""

    window: int
    spare: int  # taken from the cache's counter, not used yet
    seen: int  # this window's count at the last read (with all that was taken)
    previous: int  # the previous window's count then


class Tallies:
    """The tallies of one process, by throttle key (thread-safe; the views run on threads)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._by_key: dict[str, Tally] = {}

    def take(self, key: str, window: int, weight: float, limit: int, batch: int) -> int:
        """0 when a request in hand lets this one through; otherwise how many to take from
        the cache: 1 on the client's first read of the window here, or while a batch would
        overrun the rate as last read; else a batch."""
        with self._lock:
            tally = self._by_key.get(key)
            if tally is None or tally.window != window:
                return 1
            if tally.spare:
                tally.spare -= 1
                return 0
            return batch if tally.previous * weight + tally.seen + batch <= limit else 1

    def keep(self, key: str, window: int, spare: int, seen: int, previous: int) -> None:
        """A read's answer: ``spare`` requests in hand, the counts it read."""
        with self._lock:
            tally = self._by_key.get(key)
            if tally is not None and tally.window == window:
                tally.spare += spare
                # Answers of reads on two threads can come back in either order.
                tally.seen, tally.previous = max(tally.seen, seen), previous
                return
            if tally is not None and tally.window > window:
                return  # a later window has started meanwhile: what is in hand is spent
            if tally is None and len(self._by_key) >= MAX_TALLIES:
                self._forget_before(window)
            self._by_key[key] = Tally(window=window, spare=spare, seen=seen, previous=previous)

    def _forget_before(self, window: int) -> None:
        old = [key for key, tally in self._by_key.items() if tally.window < window]
        for key in old or list(self._by_key):  # all of them when every tally is current
            del self._by_key[key]

    def clear(self) -> None:
        with self._lock:
            self._by_key.clear()


TALLIES = Tallies()


def _counts(key: str, window: int, duration: int, take: int) -> tuple[int, int]:
    """(this window's count after adding ``take``, the previous window's count)."""
    current, previous = f"{key}:{window}", f"{key}:{window - 1}"
    backend = caches["default"]
    if isinstance(backend, RedisCache):
        made_current, made_previous = backend.make_key(current), backend.make_key(previous)
        client = backend._cache.get_client(made_current, write=True)
        pipe = client.pipeline(transaction=False)
        pipe.incrby(made_current, take)
        pipe.expire(made_current, 2 * duration)
        pipe.get(made_previous)
        count, _, before = pipe.execute()
        return int(count), int(before or 0)
    backend.add(current, 0, timeout=2 * duration)
    try:
        count = backend.incr(current, take)
    except ValueError:  # expired between add and incr
        backend.add(current, take, timeout=2 * duration)
        count = take
    return int(count), int(backend.get(previous) or 0)


def _give_back(key: str, window: int, count: int) -> None:
    with contextlib.suppress(ValueError):  # the window ended meanwhile
        caches["default"].decr(f"{key}:{window}", count)


class OneTripRateThrottle(throttling.SimpleRateThrottle):
    """``SimpleRateThrottle`` with a sliding-window counter, read in batches (module docstring)."""

    tallies = TALLIES

    def allow_request(self, request: Any, view: Any) -> bool:
        if self.rate is None:
            return True
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        this: Any = self  # DRF's stubs leave out the attributes __init__ sets
        duration, limit = int(this.duration), int(this.num_requests)
        self.now = self.timer()
        window_float, into = divmod(self.now, duration)
        window, weight = int(window_float), 1 - into / duration
        batch = batch_for(limit)
        take = 1
        if batch > 1:
            take = self.tallies.take(self.key, window, weight, limit, batch)
            if take == 0:
                return True
        try:
            count, previous = _counts(self.key, window, duration, take)
        except (OSError, RedisError):
            # A throttle is a guard, not a dependency: with the cache unreachable the request
            # goes on (the readiness check reports the cache), as a view counter does.
            logger.warning("throttle cache unavailable; request allowed", exc_info=True)
            return True
        # How many of those taken fit under the rate (this request first).
        fits = max(0, min(take, math.floor(limit - previous * weight - count + take)))
        if fits < take:
            _give_back(self.key, window, take - fits)
            count -= take - fits
        if batch > 1:
            self.tallies.keep(self.key, window, max(0, fits - 1), count, previous)
        if fits:
            return True
        # Allowed again once the previous window's share has shrunk enough, or this window
        # ends, whichever is first.
        room = limit - count
        if previous and room > 0:
            self._wait = max(0.0, (weight - room / previous) * duration)
        else:
            self._wait = duration - into
        return False

    def wait(self) -> float | None:
        this: Any = self
        return math.ceil(getattr(this, "_wait", this.duration or 0))


class AnonRateThrottle(OneTripRateThrottle, throttling.AnonRateThrottle):
    """DRF's anonymous throttle (per client address, scope ``anon``)."""


class UserRateThrottle(OneTripRateThrottle, throttling.UserRateThrottle):
    """DRF's per-user throttle (per user id, or address when signed out; scope ``user``)."""
