"""Open WebSockets of this process: counted for metrics, and closed with 1001 on shutdown.

uvicorn closes the sockets it still holds with 1012 ("service restart") when it stops. We want
clients to hear 1001 ("going away") with a reason first, so they reconnect to another process at
once: ``LifespanShutdown`` (the ``lifespan`` protocol of the ASGI router) puts a handler in front
of uvicorn's SIGTERM/SIGINT handler that closes every open socket with 1001, tells each consumer
it disconnected (so it leaves its groups), and only then hands the signal to uvicorn.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import Awaitable, Callable, MutableMapping
from types import FrameType
from typing import Any

from tangerine.core import metrics

logger = logging.getLogger(__name__)

GOING_AWAY = 1001
GOING_AWAY_REASON = "Server going away; reconnect."
# The most a shutdown waits for the close frames before uvicorn takes over.
CLOSE_TIMEOUT_SECONDS = 2.0

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


class _Socket:
    def __init__(self, send: Send, route: str) -> None:
        self.send = send
        self.route = route
        self.accepted = False
        self.closed = False
        self.going_away = asyncio.Event()

    async def close_going_away(self) -> None:
        if self.accepted and not self.closed:
            self.closed = True
            with contextlib.suppress(Exception):  # the client may be gone already
                await self.send(
                    {"type": "websocket.close", "code": GOING_AWAY, "reason": GOING_AWAY_REASON}
                )
        self.going_away.set()


_open: set[_Socket] = set()
_handovers: set[asyncio.Task[None]] = set()


def _route(path: str) -> str:
    # /ws/chat/<id>/ → /ws/chat/*/ : one label per kind of socket, not per room.
    parts = [p for p in path.split("/") if p]
    return "/" + "/".join(parts[:2]) + ("/*/" if len(parts) > 2 else "/")


class TrackedWebSockets:
    """ASGI wrapper of the WebSocket app: counts open sockets by route and lets the shutdown
    close them (see the module docstring)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        sock = _Socket(send, _route(str(scope.get("path", ""))))

        async def tracked_send(message: Message) -> None:
            kind = message.get("type")
            if sock.closed:
                return  # closed by the shutdown: the consumer's last words go nowhere
            if kind == "websocket.accept" and not sock.accepted:
                sock.accepted = True
                metrics.websockets_open.labels(sock.route).inc()
            elif kind == "websocket.close":
                sock.closed = True
            await send(message)

        async def tracked_receive() -> Message:
            if sock.going_away.is_set():
                return {"type": "websocket.disconnect", "code": GOING_AWAY}
            incoming = asyncio.ensure_future(receive())
            away = asyncio.ensure_future(sock.going_away.wait())
            done, _ = await asyncio.wait({incoming, away}, return_when=asyncio.FIRST_COMPLETED)
            if incoming in done:
                away.cancel()
                return incoming.result()
            incoming.cancel()
            return {"type": "websocket.disconnect", "code": GOING_AWAY}

        _open.add(sock)
        try:
            await self.app(scope, tracked_receive, tracked_send)
        finally:
            _open.discard(sock)
            if sock.accepted:
                metrics.websockets_open.labels(sock.route).dec()


async def close_all_going_away() -> int:
    """Close every open socket of this process with 1001; returns how many were open."""
    sockets = list(_open)
    if sockets:
        await asyncio.wait_for(
            asyncio.gather(*(s.close_going_away() for s in sockets), return_exceptions=True),
            CLOSE_TIMEOUT_SECONDS,
        )
    return len(sockets)


class LifespanShutdown:
    """The ``lifespan`` protocol: on start-up, chain a signal handler in front of the server's
    that closes the sockets with 1001 before the server starts its own shutdown."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                self._chain_signals(asyncio.get_running_loop())
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await close_all_going_away()
                await send({"type": "lifespan.shutdown.complete"})
                return

    def _chain_signals(self, loop: asyncio.AbstractEventLoop) -> None:
        for sig in (signal.SIGTERM, signal.SIGINT):
            try:
                previous = signal.getsignal(sig)
            except ValueError:  # not the main thread: nothing to chain
                return
            if not callable(previous):
                continue

            def handler(
                signum: int,
                frame: FrameType | None,
                previous: Callable[[int, FrameType | None], Any] = previous,
            ) -> None:
                async def close_then_hand_over() -> None:
                    try:
                        closed = await close_all_going_away()
                        logger.info("Closed %d WebSocket(s) with 1001 before shutdown", closed)
                    except Exception:
                        logger.warning("Closing WebSockets before shutdown failed", exc_info=True)
                    finally:
                        previous(signum, frame)

                def start() -> None:
                    task = loop.create_task(close_then_hand_over())
                    _handovers.add(task)  # keep a reference until it is done
                    task.add_done_callback(_handovers.discard)

                loop.call_soon_threadsafe(start)

            try:
                signal.signal(sig, handler)
            except ValueError:
                return
