"""Request threads kept between requests (core/handlers.py): a thread serves many requests one
after another, concurrent requests each get a thread of their own, at most ``keep`` idle ones
stay, a request cut off half-way never hands its thread to the next one, a request goes
from the event loop to its thread once, and a served request leaves no reference cycle that
keeps its response for the garbage collector."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import threading
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
from asgiref.sync import SyncToAsync
from asgiref.testing import ApplicationCommunicator
from django.core.handlers.asgi import ASGIHandler

from tangerine.core.handlers import ThreadKeepingASGIHandler
from tests.support.probe import served_process_probe

LIVE = "/api/health/live"
PROBE = (
    "from tangerine.config import asgi; app = asgi.django_asgi_app;"
    "print(type(app).__name__, getattr(app, 'keep', '-'))"
)


def _request_threads() -> set[int]:
    return {t.ident or 0 for t in threading.enumerate() if t.name.startswith("request")}


def _scope(method: str, path: str) -> dict[str, object]:
    return {
        "type": "http",
        "http_version": "1.1",
        "method": method,
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "headers": [(b"host", b"testserver"), (b"content-type", b"application/json")],
        "client": ("127.0.0.1", 5000),
        "server": ("testserver", 80),
    }


async def _get(handler: ASGIHandler, path: str = LIVE) -> int:
    communicator = ApplicationCommunicator(handler, _scope("GET", path))
    await communicator.send_input({"type": "http.request", "body": b""})
    start = await communicator.receive_output(timeout=10)
    assert start["type"] == "http.response.start"
    while (await communicator.receive_output(timeout=10)).get("more_body"):
        pass
    await communicator.wait(timeout=10)
    return int(start["status"])


def _settle(expected: int, before: set[int]) -> set[int]:
    deadline = time.monotonic() + 5
    while len(_request_threads() - before) != expected and time.monotonic() < deadline:
        time.sleep(0.02)
    return _request_threads() - before


@pytest.mark.parametrize(
    ("setting", "expected"), [(None, "ThreadKeepingASGIHandler 32"), ("0", "ASGIHandler -")]
)
def test_the_served_application_keeps_its_request_threads(
    tmp_path: Path, setting: str | None, expected: str
) -> None:
    """In a process of its own: importing the served application starts its background work
    (periodic sweeps, search repair), which must not run inside a test worker."""
    line = served_process_probe(PROBE, tmp_path, REQUEST_THREADS_KEPT=setting)
    assert line == expected


@pytest.mark.asyncio
async def test_requests_one_after_another_share_one_thread() -> None:
    handler = ThreadKeepingASGIHandler(keep=4)
    before = _request_threads()
    for _ in range(10):
        assert await _get(handler) == 200
    assert handler.idle_threads == 1
    assert len(_request_threads() - before) == 1
    # A request that fails in the view still ends cleanly: its thread is kept.
    assert await _get(handler, "/api/posts/p/not-a-uuid/") == 404
    assert handler.idle_threads == 1


@pytest.mark.asyncio
async def test_concurrent_requests_each_get_a_thread_and_at_most_keep_stay() -> None:
    handler = ThreadKeepingASGIHandler(keep=2)
    before = _request_threads()
    statuses = await asyncio.gather(*(_get(handler) for _ in range(6)))
    assert statuses == [200] * 6
    assert handler.idle_threads <= 2
    left = await asyncio.to_thread(_settle, handler.idle_threads, before)
    assert len(left) == handler.idle_threads  # the others ended
    assert await _get(handler) == 200
    assert len(_request_threads() - before) <= 2


# Django's read_body leaves its spooled body file to the collector when cancelled (its own).
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
@pytest.mark.asyncio
async def test_a_request_cut_off_half_way_does_not_pass_its_thread_on() -> None:
    handler = ThreadKeepingASGIHandler(keep=4)
    assert await _get(handler) == 200
    assert handler.idle_threads == 1
    communicator = ApplicationCommunicator(handler, _scope("POST", "/api/posts/"))
    await communicator.send_input({"type": "http.request", "body": b"{", "more_body": True})
    await asyncio.sleep(0.1)  # the body never ends: the handler waits for the rest
    communicator.future.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await communicator.future
    assert handler.idle_threads == 0  # the executor it took is shut down, not kept
    assert await _get(handler) == 200
    assert handler.idle_threads == 1


def _hops(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every call handed from the event loop to a thread (asgiref's ``sync_to_async``)."""
    calls: list[str] = []
    real = SyncToAsync.__call__

    def counted(self: SyncToAsync[Any, Any], *args: Any, **kwargs: Any) -> Any:
        calls.append(getattr(self.func, "__qualname__", repr(self.func)))
        return real(self, *args, **kwargs)

    monkeypatch.setattr(SyncToAsync, "__call__", counted)
    return calls


@pytest.mark.django_db(transaction=True)
@pytest.mark.asyncio
async def test_a_request_goes_to_its_thread_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Middleware, the DRF view and its rendering run in one call on the request's thread;
    Django's own handler, with our mix of sync and async middleware, hands a DRF request to a
    thread several times (middleware steps, the view, the rendering, the close)."""
    ours, django = ThreadKeepingASGIHandler(keep=4), ASGIHandler()
    for handler in (ours, django):  # warm: the first request of a process imports and builds
        assert await _get(handler, "/api/posts/latest/") == 200
    hops = _hops(monkeypatch)
    assert await _get(ours, "/api/posts/latest/") == 200
    ours_hops = list(hops)
    hops.clear()
    assert await _get(django, "/api/posts/latest/") == 200
    # Besides the one that runs the request: the request-started and -finished signals.
    assert [h for h in ours_hops if "get_response" in h] == ["BaseHandler.get_response"]
    assert len(ours_hops) <= 3, ours_hops
    # 6 with Django 5.2 and this project's middleware (16 before the innermost one was the
    # sync-only ReleaseRenderedMiddleware, which makes Django run the view's steps on one hop).
    assert len(hops) >= 5, hops


def _cyclic_garbage(run: Any) -> list[object]:
    """What ``run()`` leaves that only the garbage collector can free (reference cycles)."""
    gc.collect()
    gc.disable()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        run()
        gc.collect()
        return list(gc.garbage)
    finally:
        gc.garbage.clear()
        gc.set_debug(0)
        gc.enable()


async def _served(handler: ASGIHandler, path: str) -> int:
    """As uvicorn serves it: once the response is sent, ``receive`` answers a disconnect."""
    sent: list[dict[str, Any]] = []
    complete = asyncio.Event()
    messages = [{"type": "http.request", "body": b""}]

    async def receive() -> dict[str, Any]:
        if messages:
            return messages.pop()
        await complete.wait()
        return {"type": "http.disconnect"}

    async def send(message: Mapping[str, Any]) -> None:
        sent.append(dict(message))
        if message["type"] == "http.response.body" and not message.get("more_body"):
            complete.set()

    await handler(_scope("GET", path), receive, send)
    return int(sent[0]["status"])


@pytest.mark.django_db(transaction=True)
def test_a_served_request_leaves_no_cycle_holding_its_response() -> None:
    """Django's handler re-raises the disconnect it listens for (``RequestAborted``) in its
    own frame, which the finished task keeps: every request served by uvicorn left its
    request and response to the collector. Ours returns at the disconnect."""
    from django.http import HttpResponseBase

    ours, django = ThreadKeepingASGIHandler(keep=4), ASGIHandler()
    statuses: list[int] = []
    for handler in (ours, django):  # warm
        asyncio.run(_served(handler, LIVE))
    left = {
        name: _cyclic_garbage(lambda h=handler: statuses.append(asyncio.run(_served(h, LIVE))))
        for name, handler in (("ours", ours), ("django", django))
    }
    assert statuses == [200, 200]
    assert not [o for o in left["ours"] if isinstance(o, HttpResponseBase)]
    assert [o for o in left["django"] if isinstance(o, HttpResponseBase)]  # what it fixes


@pytest.mark.asyncio
async def test_a_client_gone_before_the_answer_still_cancels_the_view() -> None:
    """A disconnect while the view runs ends the request as Django's handler does: the view's
    task is cancelled and nothing is sent."""
    started, cancelled = threading.Event(), []
    handler = ThreadKeepingASGIHandler(keep=2)

    async def slow_view(request: Any) -> Any:
        started.set()
        try:
            await asyncio.sleep(30)
        except asyncio.CancelledError:
            cancelled.append(True)
            raise

    handler.get_response_async = slow_view  # type: ignore[method-assign]
    sent: list[dict[str, Any]] = []
    queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
    await queue.put({"type": "http.request", "body": b""})

    async def send(message: Mapping[str, Any]) -> None:
        sent.append(dict(message))

    task = asyncio.create_task(handler(_scope("GET", LIVE), queue.get, send))
    while not started.is_set():
        await asyncio.sleep(0.01)
    await queue.put({"type": "http.disconnect"})
    await asyncio.wait_for(task, timeout=10)
    assert cancelled == [True]
    assert sent == []


@pytest.mark.asyncio
async def test_a_message_other_than_a_disconnect_after_the_body_is_an_error() -> None:
    handler = ThreadKeepingASGIHandler(keep=2)
    with pytest.raises(AssertionError, match="Invalid ASGI message after request body"):
        await handler.listen_for_disconnect(
            lambda: asyncio.sleep(0, result={"type": "http.request"})
        )
