"""Django's ASGI handler, with its request threads kept from one request to the next.

Django runs the synchronous part of every HTTP request (middleware, view, database) on a thread
of its own: ``ASGIHandler`` enters a fresh ``ThreadSensitiveContext`` per request, asgiref
starts a new one-thread executor for it, and on exit starts a second thread to join the first.
Two threads per request, and on the new one a new database wrapper for Django's thread-local
connection, which then checks a connection out of the pool and back in. Under load on the 2-core
machine that was ~5 % of the process's busy samples (``bench/README.md``, "Round 4").

``ThreadKeepingASGIHandler`` hands each request an executor of its own from a list of idle ones
(asgiref's ``ThreadSensitiveContext(executor=...)``), so the request still runs alone on one
thread, as Django expects, and a thread serves many requests in turn, as under a WSGI server.
Nothing waits for a thread: when none is idle a new executor is made, as Django does, and at
most ``keep`` idle ones are kept. Per-request state does not leak: asgiref's ``Local`` (locale,
URL prefix) lives in the request's context, and Django closes or returns the thread's database
connection at the end of every request (``request_finished``).

**One thread hop per request.** Django's ASGI handler builds the middleware chain for an async
caller: middleware that can run async does, the rest is adapted. Ours mixes both (WhiteNoise
and four of the project's are synchronous only), so a request went to a thread for the outer
middleware, back to the event loop for the inner ones, where every Django ``MiddlewareMixin``
ran its ``process_request`` and ``process_response`` through ``sync_to_async`` (a hop each),
to a thread again for the view, and once more for a DRF response's ``render()``: about a dozen
hops between the loop and a thread per request, each a few tens of microseconds of CPU. This
handler builds the chain synchronous, as a WSGI server runs it, and runs all of it (middleware,
view, rendering) in one call on the request's thread. Async views (the health checks) still
work: Django runs them with ``async_to_sync`` from that thread. Streaming responses are sent by
the ASGI handler as before.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

from asgiref.sync import ThreadSensitiveContext, sync_to_async
from django.core.handlers.asgi import ASGIHandler
from django.http import HttpRequest, HttpResponseBase


class ThreadKeepingASGIHandler(ASGIHandler):
    def __init__(self, *, keep: int) -> None:
        super().__init__()
        self.keep = keep
        self._idle: list[ThreadPoolExecutor] = []

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            raise ValueError(f"Django can only handle ASGI/HTTP connections, not {scope['type']}.")
        executor = (
            self._idle.pop()
            if self._idle
            else ThreadPoolExecutor(max_workers=1, thread_name_prefix="request")
        )
        reusable = False
        try:
            async with ThreadSensitiveContext(executor=executor):
                await self.handle(scope, receive, send)
            # ``handle`` awaited everything it gave the thread: after a client's disconnect
            # the view may still run, but ``request_finished`` was queued behind it and
            # awaited, so the thread is idle now.
            reusable = True
        finally:
            if reusable and len(self._idle) < self.keep:
                self._idle.append(executor)
            else:
                # An error or cancellation may leave work on the thread: let it finish and
                # end instead of handing it to the next request.
                executor.shutdown(wait=False)

    async def listen_for_disconnect(self, receive: Any) -> None:
        """Return at the client's disconnect, where Django raises ``RequestAborted``.

        ``handle`` only ignores that exception, but re-raised there from the finished task it
        gains ``handle``'s frame in its traceback, and the task it stays on is a local of that
        frame: a reference cycle that kept every request's request and response (a DRF
        response: its page, serializers and view) alive until the garbage collector found
        it. Under uvicorn a disconnect arrives for every request, once its response is sent.
        Returning instead leaves ``handle``'s control flow as it was: the first task done
        ends the wait, and the view is cancelled if it is still running (tested). This holds
        for Django 5.2's ``handle`` (pinned); Django 6.1 rewrites it around a ``TaskGroup``
        where only a raising listener cancels the view, and the cancellation test fails there
        (the same fix and caveat: baserow/baserow#5733).
        """
        message = await receive()
        if message["type"] != "http.disconnect":
            raise AssertionError(f"Invalid ASGI message after request body: {message['type']}")

    def load_middleware(self, is_async: bool = False) -> None:
        super().load_middleware(is_async=False)  # the chain as a WSGI server runs it

    async def get_response_async(self, request: HttpRequest) -> HttpResponseBase:
        # Django's get_response: URL conf, the whole chain, the request's closer, the log
        # line of an error answer, in one call on the request's thread.
        return await sync_to_async(self.get_response, thread_sensitive=True)(request)

    @property
    def idle_threads(self) -> int:
        return len(self._idle)
