"""Django's Redis cache with one connection pool per process instead of one per thread.

Django keeps a cache object per thread (``caches`` is thread-local) and each makes its own
``ConnectionPool``. ASGI servers run sync views on short-lived threads, so every request opened
(and leaked until garbage collection) a new Redis connection. Here every cache object of a
process shares one pool per server URL, bounded by ``max_connections``, and one client
object per pool.
"""

from __future__ import annotations

import threading
from typing import Any

from django.core.cache.backends.redis import RedisCache, RedisCacheClient

_pools: dict[str, Any] = {}
_clients: dict[int, Any] = {}  # id(pool) -> its redis.Redis
_lock = threading.Lock()


class SharedPoolRedisCacheClient(RedisCacheClient):
    def _get_connection_pool(self, write: bool) -> Any:
        this: Any = self  # Django's private attributes, which the type stubs do not list
        url = this._servers[this._get_connection_pool_index(write)]
        pool = _pools.get(url)
        if pool is None:
            with _lock:
                pool = _pools.get(url)
                if pool is None:
                    pool = this._pool_class.from_url(url, **this._pool_options)
                    _pools[url] = pool
        return pool

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        """One ``redis.Redis`` per pool and process, where Django makes one per command:
        building one cost more CPU than the command it sends (the throttle's pipeline and the
        view counter's ``add`` on every read of a post). A client is safe to share between
        threads: it takes a connection from the pool for each command."""
        pool = self._get_connection_pool(write)
        client = _clients.get(id(pool))
        if client is None or client.connection_pool is not pool:
            this: Any = self
            client = this._client(connection_pool=pool)
            _clients[id(pool)] = client
        return client


class SharedPoolRedisCache(RedisCache):
    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = SharedPoolRedisCacheClient


def pool_count() -> int:
    """How many pools this process holds (for tests)."""
    return len(_pools)
