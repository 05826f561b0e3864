"""``core.writers.WriterThreads``: the chat's write threads keep their database connection
while writes are waiting (no pool check-out and health check per message) and give it back as
soon as they are idle, so an idle process holds no connection."""

from __future__ import annotations

import contextvars
import threading
import time
from concurrent.futures import Future

import pytest
from django.db import connection

from tangerine.core.writers import WriterThreads

marker: contextvars.ContextVar[str] = contextvars.ContextVar("marker", default="unset")


def test_calls_run_with_their_caller_s_context_and_raise_their_errors() -> None:
    writers = WriterThreads(2, name="test-writer")
    try:
        marker.set("from the caller")
        assert writers.submit(marker.get).result(timeout=5) == "from the caller"
        assert writers.submit(lambda a, b=0: a + b, 2, b=3).result(timeout=5) == 5
        failed = writers.submit(lambda: 1 / 0)
        with pytest.raises(ZeroDivisionError):
            failed.result(timeout=5)
        # A failed call does not stop its thread.
        assert writers.submit(lambda: "still there").result(timeout=5) == "still there"
        names = {writers.submit(lambda: threading.current_thread().name).result() for _ in range(5)}
        assert names <= {"test-writer_0", "test-writer_1"}
    finally:
        writers.shutdown()
    with pytest.raises(RuntimeError):
        writers.submit(lambda: None)


def _backend() -> tuple[bool, int]:
    """Whether the call found a connection open on its thread, and its backend's pid."""
    kept = connection.connection is not None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return kept, int(cursor.fetchone()[0])


def _backend_alive(pid: int) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE pid = %s", [pid])
        return bool(cursor.fetchone()[0])


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_busy_writer_keeps_its_connection_and_an_idle_one_gives_it_back() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SKIPPED FOR WANT OF PostgreSQL")
    writers = WriterThreads(1, name="test-writer")
    gate = threading.Event()
    try:
        first = writers.submit(lambda: (gate.wait(5), _backend())[1])
        queued: list[Future[tuple[bool, int]]] = [writers.submit(_backend) for _ in range(5)]
        gate.set()
        kept_first, pid = first.result(timeout=10)
        assert not kept_first  # a new thread starts without a connection
        results = [future.result(timeout=10) for future in queued]
        # Calls that were waiting found the connection of the call before: one backend.
        assert results == [(True, pid)] * 5
        deadline = time.monotonic() + 5
        while _backend_alive(pid) and time.monotonic() < deadline:
            time.sleep(0.02)
        assert not _backend_alive(pid), "the idle writer still holds its connection"
        # The next call connects again.
        kept, again = writers.submit(_backend).result(timeout=10)
        assert not kept and again != pid
    finally:
        writers.shutdown()
