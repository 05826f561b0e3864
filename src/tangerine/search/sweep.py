"""Self-repair of the vector index: items without a vector get one once the store is back.

An index job that cannot write a vector (store down, a write that failed every retry, an
embedding error) leaves its item pending (``SearchDocument.dense_synced=False``) and calls
``request_repair()``. That starts one background thread per process which waits (1 s, then
doubling up to ``REPAIR_MAX_DELAY``), runs ``services.sweep_missing_vectors()`` while the store
is reachable, and ends once nothing is missing. ``services.missing_vector_count()`` asks for a
repair too whenever it counts missing items, so search and the health endpoint, which ask it,
also set the repair off for items whose job never ran (a restart with the thread backend).

With the ``immediate`` task backend (tests) nothing starts in the background: callers run
``services.sweep_missing_vectors()`` themselves.

For a process that should also catch items no job ever reported (a worker), call
``maybe_sweep()`` from its loop: it checks at most every ``SWEEP_INTERVAL`` seconds.
"""

from __future__ import annotations

import logging
import threading
import time

from django.conf import settings
from django.db import close_old_connections, connection

from tangerine.integrations import milvus
from tangerine.search import services

logger = logging.getLogger(__name__)

REPAIR_FIRST_DELAY = 1.0
REPAIR_MAX_DELAY = 60.0
SWEEP_INTERVAL = 300.0


class _Repairer:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.thread: threading.Thread | None = None
        self.wanted = threading.Event()  # another repair was asked for during a sweep
        self.stop = threading.Event()
        self.first_delay = REPAIR_FIRST_DELAY
        self.sweeps = 0  # how many sweeps the thread has run (tests, logs)


_repairer = _Repairer()
_last_periodic: float | None = None  # monotonic time of the last periodic check


def request_repair() -> None:
    """Have the background repair run soon (idempotent; cheap; never blocks on the store)."""
    if settings.TASKS_BACKEND == "immediate":
        return
    with _repairer.lock:
        _repairer.wanted.set()
        if _repairer.thread is not None and _repairer.thread.is_alive():
            return
        _repairer.stop.clear()
        _repairer.thread = threading.Thread(
            target=_repair_loop, name="search-vector-repair", daemon=True
        )
        _repairer.thread.start()


def repair_running() -> bool:
    thread = _repairer.thread
    return thread is not None and thread.is_alive()


def stop_repair(timeout: float = 10.0) -> None:
    """Stop the background repair and wait for it (tests, shutdown)."""
    _repairer.stop.set()
    thread = _repairer.thread
    if thread is not None:
        thread.join(timeout)


def _repair_loop() -> None:
    delay = _repairer.first_delay
    while True:
        if _repairer.stop.wait(delay):
            return
        with _repairer.lock:
            _repairer.wanted.clear()
        missing = -1
        if milvus.available():
            close_old_connections()
            try:
                missing = services.sweep_missing_vectors().missing
                _repairer.sweeps += 1
            except Exception:
                logger.exception("Vector repair sweep failed")
            finally:
                connection.close()
        with _repairer.lock:
            if missing == 0 and not _repairer.wanted.is_set():
                _repairer.thread = None
                return
        delay = min(delay * 2, REPAIR_MAX_DELAY)


def maybe_sweep(*, interval: float = SWEEP_INTERVAL) -> int:
    """For a worker loop: sweep missing vectors at most every ``interval`` seconds.

    Returns how many items were indexed (0 when it was not yet time or nothing was missing).
    """
    global _last_periodic  # one schedule per process
    now = time.monotonic()
    if _last_periodic is not None and now - _last_periodic < interval:
        return 0
    _last_periodic = now
    if not milvus.available() or services.missing_vector_count(repair=False) == 0:
        return 0
    return services.sweep_missing_vectors().indexed
