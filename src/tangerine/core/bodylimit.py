"""Request-body limits enforced in front of Django, at the ASGI layer.

Django's ASGI handler reads the whole body into a temporary file before any middleware or view
runs, so a limit checked in a view comes after a 1.5 GB request was spooled to disk. This
wrapper refuses instead:

- from ``Content-Length``, before a byte of the body is read (413, or 400 when it is not a
  number);
- while streaming, for a body without ``Content-Length`` (chunked) that grows past the limit:
  it answers 413 at once and tells Django the client went away, so Django stops reading and
  sends nothing.

The answer is the project's JSON error shape. Limits are per path (the image upload endpoint
takes its own, larger limit) with one default for everything else.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Mapping, MutableMapping
from typing import Any

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
# Loose on purpose: Django's and Channels' handlers each declare their own mapping types.
ASGIApp = Callable[[Any, Any, Any], Awaitable[None]]


def limit_for(path: str, *, default: int, by_path: Mapping[str, int]) -> int:
    """The body limit of ``path``: its own entry, else the default."""
    return by_path.get(path, default)


def _json_error(status: int, code: str, detail: str) -> tuple[dict[str, Any], dict[str, Any]]:
    body = json.dumps({"code": code, "detail": detail}).encode()
    start = {
        "type": "http.response.start",
        "status": status,
        "headers": [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
            (b"x-content-type-options", b"nosniff"),
            # The unread rest of the body makes the connection unusable for another request.
            (b"connection", b"close"),
        ],
    }
    return start, {"type": "http.response.body", "body": body, "more_body": False}


def _too_large(limit: int) -> tuple[dict[str, Any], dict[str, Any]]:
    return _json_error(413, "too_large", f"The request body is larger than {limit} bytes.")


class BodyLimitMiddleware:
    """Wraps an ASGI app; HTTP request bodies over their path's limit never reach it."""

    def __init__(
        self, app: ASGIApp, *, default: int, by_path: Mapping[str, int] | None = None
    ) -> None:
        self.app = app
        self.default = default
        self.by_path = dict(by_path or {})

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = limit_for(scope.get("path", ""), default=self.default, by_path=self.by_path)
        declared: bytes | None = None
        for name, value in scope.get("headers", []):
            if name.lower() == b"content-length":
                declared = value
                break
        if declared is not None:
            text = declared.decode("latin-1").strip()
            if not text.isdigit():
                for message in _json_error(400, "bad_request", "Content-Length is not a number."):
                    await send(message)
                return
            if int(text) > limit:
                for message in _too_large(limit):
                    await send(message)
                return

        received = 0
        refused = False
        started = False

        async def limited_receive() -> Message:
            nonlocal received, refused
            if refused:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    refused = True
                    if not started:
                        for reply in _too_large(limit):
                            await send(reply)
                    # Django's handler stops reading on a disconnect and answers nothing.
                    return {"type": "http.disconnect"}
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal started
            if refused:
                return  # we already answered
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        await self.app(scope, limited_receive, guarded_send)
