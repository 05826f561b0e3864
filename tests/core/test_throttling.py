"""DRF's per-user and per-address throttles as one-round-trip sliding-window counters
(core/throttling.py): the rate holds, refusals are not counted, the previous window weighs in,
on the local-memory cache and on Redis."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import caches
from django.test import override_settings
from rest_framework.test import APIRequestFactory

from tangerine.core.throttling import AnonRateThrottle, UserRateThrottle

REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
LOCMEM = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
START = 60 * 16_667.0  # the start of a minute window
REDIS = {"default": {"BACKEND": "tangerine.core.cache.SharedPoolRedisCache", "LOCATION": REDIS_URL}}


@pytest.fixture(params=["locmem", pytest.param("redis", marks=pytest.mark.redis)])
def backend(request: pytest.FixtureRequest) -> Iterator[str]:
    with override_settings(CACHES=LOCMEM if request.param == "locmem" else REDIS):
        caches["default"].clear()
        yield request.param
        caches["default"].clear()


class Clock:
    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def _throttle(rate: str, clock: Clock, cls: type[Any] = AnonRateThrottle) -> Any:
    throttle = cls()
    throttle.rate = rate
    throttle.num_requests, throttle.duration = throttle.parse_rate(rate)
    throttle.timer = clock
    return throttle


def _request(address: str = "10.0.0.1") -> Any:
    request: Any = APIRequestFactory().get("/", REMOTE_ADDR=address)
    request.user = None
    return request


def _allowed(rate: str, clock: Clock, times: int, address: str = "10.0.0.1") -> list[bool]:
    return [_throttle(rate, clock).allow_request(_request(address), None) for _ in range(times)]


def test_the_rate_holds_within_a_window_and_per_address(backend: str) -> None:
    clock = Clock(START + 20)  # 20 s into a minute window
    assert _allowed("5/min", clock, 7) == [True] * 5 + [False] * 2
    assert _allowed("5/min", clock, 1, address="10.0.0.2") == [True]


def test_refused_requests_are_not_counted(backend: str) -> None:
    clock = Clock(START + 20)
    assert _allowed("3/min", clock, 10) == [True] * 3 + [False] * 7
    clock.now += 60  # next window, 20 s in: 2/3 of the previous window (3 requests) still counts
    assert _allowed("3/min", clock, 2) == [True, False]


def test_the_previous_window_fades_out(backend: str) -> None:
    clock = Clock(START + 50)  # 50 s into the window
    assert _allowed("4/min", clock, 4) == [True] * 4
    clock.now = START + 65  # 5 s into the next window: 4 * 55/60 ≈ 3.7 of the last minute
    assert _allowed("4/min", clock, 1) == [False]
    clock.now = START + 110  # 50 s in: 4 * 10/60 ≈ 0.7, so three more fit
    assert _allowed("4/min", clock, 4) == [True, True, True, False]


def test_a_refusal_says_how_long_to_wait(backend: str) -> None:
    clock = Clock(START + 20)
    _allowed("2/min", clock, 2)
    throttle = _throttle("2/min", clock)
    assert throttle.allow_request(_request(), None) is False
    assert 0 < throttle.wait() <= 40


@pytest.mark.django_db
def test_the_user_throttle_counts_per_user(backend: str, make_user: Any) -> None:
    clock = Clock(START + 20)
    ann, ben = make_user(handle="ann"), make_user(handle="ben")
    for user, expected in ((ann, [True, True, False]), (ben, [True, True, False])):
        got = []
        for _ in range(3):
            request = _request()
            request.user = user
            got.append(_throttle("2/min", clock, UserRateThrottle).allow_request(request, None))
        assert got == expected


def test_an_unreachable_cache_lets_requests_through(monkeypatch: pytest.MonkeyPatch) -> None:
    def down(*args: object, **kwargs: object) -> None:
        raise ConnectionError("cache is down")

    with override_settings(CACHES=LOCMEM):
        monkeypatch.setattr(caches["default"], "add", down)
        assert _allowed("1/min", Clock(START + 20), 3) == [True, True, True]
    closed = {**REDIS["default"], "LOCATION": "redis://127.0.0.1:1/0"}  # nothing listens
    with override_settings(CACHES={"default": closed}):
        assert _allowed("1/min", Clock(START + 20), 2) == [True, True]
