"""The shared-pool Redis cache hands every cache object of a process the same client object
for a pool (``core.cache``): Django built a ``redis.Redis`` per command, which cost more CPU
than the command."""

from __future__ import annotations

import os
import threading
from typing import Any

import pytest
from django.core.cache import caches

from tangerine.core import cache as shared_cache


@pytest.mark.redis
def test_every_thread_gets_the_one_client_of_the_pool_and_it_works(settings: Any) -> None:
    settings.CACHES = {
        "default": {
            "BACKEND": "tangerine.core.cache.SharedPoolRedisCache",
            "LOCATION": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"),
            "OPTIONS": {"max_connections": 4, "pool_class": "redis.BlockingConnectionPool"},
        }
    }
    shared_cache._pools.clear()
    clients: list[Any] = []

    def use(i: int) -> None:
        cache = caches["default"]  # a new cache object in each new thread
        cache.set(f"client-test-{i}", i, 5)
        assert cache.get(f"client-test-{i}") == i
        assert cache.incr(f"client-test-{i}") == i + 1
        clients.append(cache._cache.get_client(write=True))

    threads = [threading.Thread(target=use, args=(i,)) for i in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(clients) == 12
    assert len({id(client) for client in clients}) == 1
    pool = next(iter(shared_cache._pools.values()))
    assert clients[0].connection_pool is pool
    shared_cache._pools.clear()  # a new pool (as after the test above): a new client for it
    fresh = caches["default"]._cache.get_client(write=True)
    assert fresh is not clients[0] and fresh.connection_pool is not pool
