"""DRF's per-user and per-address throttles as sliding-window counters shared through the cache,
taken in batches (core/throttling.py): the rate holds, refusals are not counted, the previous
window weighs in, a busy client asks the cache once per batch, and no mix of processes and
threads lets more than the rate through; on the local-memory cache and on Redis."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import caches
from django.test import override_settings
from rest_framework.test import APIRequestFactory

from tangerine.core import throttling
from tangerine.core.throttling import AnonRateThrottle, Tallies, UserRateThrottle, batch_for

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


@pytest.fixture(autouse=True)
def _fresh_tallies() -> Iterator[None]:
    throttling.TALLIES.clear()  # what this process remembers of earlier tests' clients
    yield
    throttling.TALLIES.clear()


class Clock:
    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def _throttle(
    rate: str, clock: Clock, cls: type[Any] = AnonRateThrottle, tallies: Tallies | None = None
) -> Any:
    throttle = cls()
    if tallies is not None:  # another process's memory of its clients
        throttle.tallies = tallies
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


def _cached(throttle: Any, window_start: float) -> int:
    """The cache's count of ``throttle``'s client in the minute window starting at that time."""
    return int(caches["default"].get(f"{throttle.key}:{int(window_start // 60)}") or 0)


class Reads:
    """Counts the throttle's cache reads (the real ones run)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.count = 0
        real = throttling._counts

        def counted(*args: Any) -> tuple[int, int]:
            self.count += 1
            return real(*args)

        monkeypatch.setattr(throttling, "_counts", counted)


def test_the_batch_is_a_hundredth_of_the_rate_from_1_to_20() -> None:
    assert [batch_for(n) for n in (1, 199, 200, 300, 1200, 2000, 10**6)] == [1, 1, 2, 3, 12, 20, 20]


def test_a_busy_client_asks_the_cache_once_per_batch(
    backend: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    reads = Reads(monkeypatch)
    clock = Clock(START + 20)
    throttle = _throttle("1000/min", clock)  # batch 10
    assert all(throttle.allow_request(_request(), None) for _ in range(25))
    # The first request takes 1, the 2nd takes 10 (itself and 9 in hand), the 12th and the
    # 22nd take 10 more: 4 reads, and the cache counts all that was taken.
    assert reads.count == 4
    assert _cached(throttle, START) == 31
    assert all(throttle.allow_request(_request(), None) for _ in range(6))
    assert reads.count == 4  # the 6 left in hand


def test_a_slow_client_asks_on_every_request_and_is_counted_exactly(
    backend: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    reads = Reads(monkeypatch)
    clock = Clock(START + 20)
    for minute in range(3):
        throttle = _throttle("1000/min", clock)
        assert throttle.allow_request(_request(), None) is True
        assert _cached(throttle, START + 60 * minute) == 1  # its first request takes one
        clock.now += 60
    assert reads.count == 3


def test_one_process_lets_exactly_the_rate_through(backend: str) -> None:
    clock = Clock(START + 20)
    got = _allowed("300/min", clock, 400)  # batch 3
    assert got == [True] * 300 + [False] * 100
    throttle = _throttle("300/min", clock)
    assert throttle.allow_request(_request(), None) is False
    assert _cached(throttle, START) == 300  # what does not fit is given back
    assert 0 < throttle.wait() <= 40


def test_threads_of_one_process_never_let_more_than_the_rate_through(backend: str) -> None:
    clock = Clock(START + 20)
    allowed: list[bool] = []
    lock = threading.Lock()
    start = threading.Barrier(4)

    def client() -> None:
        start.wait()
        for _ in range(150):
            ok = _throttle("300/min", clock).allow_request(_request(), None)
            with lock:
                allowed.append(ok)

    threads = [threading.Thread(target=client) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # Requests taken on one thread are used by the others: all 300 go to someone.
    assert allowed.count(True) == 300 and len(allowed) == 600


def test_processes_never_let_more_than_the_rate_through(backend: str) -> None:
    clock = Clock(START + 20)
    processes = [Tallies() for _ in range(3)]
    allowed = [
        _throttle("1000/min", clock, tallies=processes[i % 3]).allow_request(_request(), None)
        for i in range(1100)
    ]
    assert allowed.count(True) == 1000  # the ones one process holds go to its next requests
    # Stopped early, each process may hold up to batch - 1 = 9 that count and are not used.
    processes = [Tallies() for _ in range(3)]
    clock.now += 60 * 10  # a fresh window, the last one far behind
    throttles = [_throttle("1000/min", clock, tallies=processes[i % 3]) for i in range(30)]
    assert all(throttle.allow_request(_request(), None) for throttle in throttles)
    held = _cached(throttles[0], clock.now - 20) - 30
    assert 0 <= held <= 3 * 9


def test_what_a_process_holds_at_a_window_change_counts_in_the_old_window(backend: str) -> None:
    clock = Clock(START + 50)
    throttle = _throttle("1000/min", clock)
    assert all(throttle.allow_request(_request(), None) for _ in range(5))
    assert _cached(throttle, START) == 11  # 1, then 10 taken; 6 still in hand
    clock.now = START + 65
    assert throttle.allow_request(_request(), None) is True
    assert _cached(throttle, START + 60) == 1  # a new window starts with one
    assert _cached(throttle, START) == 11


def test_the_previous_window_fades_out_in_batches(backend: str) -> None:
    clock = Clock(START + 50)
    assert _allowed("290/min", clock, 300).count(True) == 290  # batch 2
    clock.now = START + 80  # 20 s in: 290 * 40/60 = 193.3 of the last minute still count
    assert _allowed("290/min", clock, 120).count(True) == 96


def test_a_process_remembers_a_bounded_number_of_clients(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(throttling, "MAX_TALLIES", 3)
    tallies = Tallies()
    for n in range(3):
        tallies.keep(f"old-{n}", window=10, spare=5, seen=6, previous=0)
    tallies.keep("new", window=11, spare=5, seen=6, previous=0)  # the old window's go first
    assert tallies.take("new", 11, 1.0, 1000, 10) == 0  # its requests in hand
    assert tallies.take("old-0", 10, 1.0, 1000, 10) == 1  # forgotten: reads again
    for n in range(3):
        tallies.keep(f"now-{n}", window=11, spare=5, seen=6, previous=0)
    assert list(tallies._by_key) == ["now-2"]  # all current: all forgotten before a new one
