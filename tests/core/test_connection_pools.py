"""Connections stay bounded per process: PostgreSQL through psycopg's pool, Redis (cache) through
one shared pool. Before, the ASGI server's short-lived request threads each opened a PostgreSQL
connection and a Redis connection: ~2,400 PostgreSQL sessions for ~2,000 requests."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any, cast

import httpx
import pytest
from django.core.cache import caches
from django.db import connection

from tangerine.core import cache as shared_cache
from tests.support.servers import Server, server_database_url

REQUESTS = 120
POOL = 3


def _sessions_opened() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute("SELECT sessions FROM pg_stat_database WHERE datname = current_database()")
        return int(cursor.fetchone()[0])


def _backend_pid() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return int(cursor.fetchone()[0])


def _server_pids(exclude: int) -> set[int]:
    """Client backends on the test database but this thread's and the test's own."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid() AND pid <> %s AND backend_type = 'client backend'",
            [exclude],
        )
        return {row[0] for row in cursor.fetchall()}


@pytest.fixture
def pooled_server(tmp_path: Any) -> Iterator[Server]:
    env = {
        **os.environ,
        "DATABASE_URL": server_database_url(),
        "DATABASE_POOL_MAX_SIZE": str(POOL),
        "THROTTLE_ANON": "100000/min",
    }
    server = Server(env, tmp_path / "server.log")
    try:
        server.wait_ready(time.monotonic() + 60)
        yield server
    finally:
        server.process.terminate()
        server.process.wait(timeout=20)
        server.log.close()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_server_process_reuses_a_bounded_set_of_postgresql_connections(
    pooled_server: Server,
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SKIPPED FOR WANT OF PostgreSQL")
    before = _sessions_opened()
    mine = _backend_pid()
    seen: set[int] = set()
    stop = threading.Event()

    def watch() -> None:
        try:
            while not stop.is_set():
                seen.update(_server_pids(mine))
                time.sleep(0.02)
        finally:
            connection.close()  # this thread's own connection

    watcher = threading.Thread(target=watch)

    def get(_: int) -> int:
        return httpx.get(f"{pooled_server.base}/api/posts/latest/", timeout=30).status_code

    watcher.start()
    try:
        with ThreadPoolExecutor(max_workers=8) as pool:
            codes = list(pool.map(get, range(REQUESTS)))
    finally:
        stop.set()
        watcher.join()
    assert codes == [200] * REQUESTS
    opened = _sessions_opened() - before
    # The pool's connections (at most POOL) and the watcher's own: never one per request.
    assert opened <= POOL + 2, f"{opened} sessions opened for {REQUESTS} requests"
    assert len(seen) <= POOL, seen


@pytest.mark.redis
def test_cache_objects_of_every_thread_share_one_redis_pool(settings: Any) -> None:
    settings.CACHES = {
        "default": {
            "BACKEND": "tangerine.core.cache.SharedPoolRedisCache",
            "LOCATION": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"),
            "OPTIONS": {"max_connections": 4, "pool_class": "redis.BlockingConnectionPool"},
        }
    }
    shared_cache._pools.clear()
    clients: list[Any] = []

    redis_clients: list[Any] = []

    def use(i: int) -> None:
        cache = caches["default"]  # a new cache object in each new thread
        cache.set(f"pool-test-{i}", i, 5)
        assert cache.get(f"pool-test-{i}") == i
        assert cache.incr(f"pool-test-{i}") == i + 1
        clients.append(cache)
        redis_clients.append(cast(Any, cache)._cache.get_client(write=True))

    threads = [threading.Thread(target=use, args=(i,)) for i in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len({id(c) for c in clients}) == 20  # Django made one cache object per thread
    assert shared_cache.pool_count() == 1  # ... and they all used one pool
    pool = next(iter(shared_cache._pools.values()))
    assert len(pool._connections) <= 4
    # ... and one redis.Redis for it (Django built one per command: more CPU than the command).
    assert len({id(client) for client in redis_clients}) == 1
    assert redis_clients[0].connection_pool is pool
    shared_cache._pools.clear()  # a new pool: a new client for it
    fresh = cast(Any, caches["default"])._cache.get_client(write=True)
    assert fresh is not redis_clients[0] and fresh.connection_pool is not pool
