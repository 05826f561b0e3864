"""SQLite (the embedded default) with writers of one process queued in Python, not in SQLite.

SQLite lets one writer at a time hold the database; the others wait in its busy handler, which
polls with sleeps of up to 100 ms and serves no queue: under a burst of writes from the ASGI
server's threads (50 sign-ups, hundreds of likes) an unlucky writer keeps losing the race until
its timeout and the request fails with "database is locked". Here a transaction first takes a
per-file lock in this process (a waiter wakes the moment it is released), then ``BEGIN
IMMEDIATE``; other processes on the same file (a worker) still meet SQLite's busy timeout.

In-memory databases (the test suite) are left alone: their one connection is shared by design.
"""

from __future__ import annotations

import threading
from typing import Any

from django.db import OperationalError
from django.db.backends.sqlite3 import base

_locks: dict[str, threading.Lock] = {}
_locks_guard = threading.Lock()


def _lock_for(name: str) -> threading.Lock:
    with _locks_guard:
        return _locks.setdefault(name, threading.Lock())


class DatabaseWrapper(base.DatabaseWrapper):
    _write_lock: threading.Lock | None = None

    def _parent(self) -> Any:
        """Django's own methods (private ones, which the type stubs do not list)."""
        return super()

    def _queue_lock(self) -> threading.Lock | None:
        name = str(self.settings_dict["NAME"])
        if self.is_in_memory_db():
            return None
        return _lock_for(name)

    def _start_transaction_under_autocommit(self) -> None:
        lock = self._queue_lock()
        if lock is not None:
            timeout = float(self.settings_dict.get("OPTIONS", {}).get("timeout", 20))
            if not lock.acquire(timeout=timeout):
                raise OperationalError("database is locked (waited for this process's writers)")
            self._write_lock = lock
        try:
            self._parent()._start_transaction_under_autocommit()
        except BaseException:
            self._release_write_lock()
            raise

    def _release_write_lock(self) -> None:
        lock, self._write_lock = self._write_lock, None
        if lock is not None:
            lock.release()

    def _commit(self) -> Any:
        try:
            return self._parent()._commit()
        finally:
            self._release_write_lock()

    def _rollback(self) -> Any:
        try:
            return self._parent()._rollback()
        finally:
            self._release_write_lock()

    def _close(self) -> Any:
        try:
            return self._parent()._close()
        finally:
            self._release_write_lock()
