"""The request id of the work in hand, carried by a context variable.

Set by ``config.logs.RequestIdMiddleware`` for an HTTP request (from ``X-Request-ID`` or new),
carried into the background jobs the request queues (``core.tasks``: the thread backend copies
it, the database backend stores it on the ``Job`` row) and into the realtime events it publishes
(``core.realtime``). Pure Python: settings import it through the logging configuration.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

request_id: ContextVar[str] = ContextVar("request_id", default="-")


def current_request_id() -> str:
    """The id of the request (or job) being handled; ``-`` outside any."""
    return request_id.get()


def new_request_id() -> str:
    """32 hex digits. An id ties log lines together and guards nothing, so it comes from the
    process's pseudo-random generator: ``secrets`` reads the kernel's generator on every call,
    which on the chat socket path (an id per client frame) cost 9 % of the event loop's busy
    samples at 200 messages/s (py-spy on bench/chat)."""
    return f"{random.getrandbits(128):032x}"


@contextmanager
def request_id_as(value: str | None) -> Iterator[str]:
    """Handle the enclosed work under ``value`` (a new id when empty or ``-``)."""
    token = request_id.set(value if value and value != "-" else new_request_id())
    try:
        yield request_id.get()
    finally:
        request_id.reset(token)
