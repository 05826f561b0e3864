"""Threads for database writes from the event loop that keep their connection while busy.

``database_sync_to_async`` closes a thread's database connections before and after every call
(``close_old_connections``; with the PostgreSQL pool ``CONN_MAX_AGE`` is 0, so "close" gives
the connection back every time). On a socket's message path that is a pool check-out, a health
check round trip (``CONN_HEALTH_CHECKS``) and a check-in per message: under load the chat's
writer threads spent a fifth of their time in the check alone (py-spy on ``bench/chat``).

``WriterThreads`` runs calls on ``size`` threads; a thread keeps its connection from one call to
the next while calls are waiting, and gives it back (``connections.close_all``) as soon as it
finds nothing more to do, so an idle process holds no connection (and a test database can be
dropped). A call that raised closes the thread's connections: a broken connection is never
kept, and the next call gets a healthy one from the pool. Each call runs in a copy of the
caller's context (the request id of ``core/context.py`` follows the work).
"""

from __future__ import annotations

import contextvars
import functools
import logging
import queue
import threading
from collections.abc import Callable
from concurrent.futures import Executor, Future
from typing import Any, TypeVar

from django.db import connections

logger = logging.getLogger(__name__)

T = TypeVar("T")

_Item = tuple[Future[Any], Callable[[], Any]]


def release_connections() -> None:
    """Give this thread's connections back: pooled ones to the pool, and every one that is not
    persistent (``CONN_MAX_AGE``) closed; persistent ones stay unless unusable or too old."""
    for conn in connections.all(initialized_only=True):
        pooled = "pool" in conn.settings_dict.get("OPTIONS", {})
        if pooled or not conn.settings_dict.get("CONN_MAX_AGE"):
            conn.close()
        else:
            conn.close_if_unusable_or_obsolete()


class WriterThreads(Executor):
    def __init__(self, size: int, *, name: str) -> None:
        self._size = size
        self._name = name
        self._queue: queue.SimpleQueue[_Item | None] = queue.SimpleQueue()
        self._threads: list[threading.Thread] = []
        self._lock = threading.Lock()
        self._shutdown = False

    def submit(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> Future[T]:
        future: Future[T] = Future()
        call = functools.partial(contextvars.copy_context().run, fn, *args, **kwargs)
        with self._lock:
            if self._shutdown:
                raise RuntimeError("cannot schedule new calls after shutdown")
            self._queue.put((future, call))
            if len(self._threads) < self._size:
                thread = threading.Thread(
                    target=self._work, name=f"{self._name}_{len(self._threads)}", daemon=True
                )
                self._threads.append(thread)
                thread.start()
        return future

    def _work(self) -> None:
        while True:
            try:
                item = self._queue.get_nowait()
            except queue.Empty:
                # Nothing waiting: give the connection back before sleeping on the queue.
                release_connections()
                item = self._queue.get()
            if item is None:
                release_connections()
                return
            future, call = item
            if not future.set_running_or_notify_cancel():
                continue
            try:
                result = call()
            except BaseException as exc:
                connections.close_all()
                future.set_exception(exc)
            else:
                future.set_result(result)

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        with self._lock:
            self._shutdown = True
            threads = list(self._threads)
        for _ in threads:
            self._queue.put(None)
        if wait:
            for thread in threads:
                thread.join()
