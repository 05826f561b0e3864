"""channels_redis's core layer with bounded, long-read Redis connections.

Two measured faults of the stock configuration (issue 13):

- redis-py 8's default socket read timeout is 5 s, exactly channels_redis's blocking ``BRPOP``
  wait (``brpop_timeout = 5``): the read raced the server's answer, timed out, and the socket's
  receive loop died (close code 1006, 17 of 1,000 idle sockets within a minute). The read timeout
  is set well above the blocking wait (``CHANNEL_LAYER_SOCKET_TIMEOUT``, at least 6 s).
- The stock pool opens a new connection whenever all are busy and never closes idle ones: after
  5,000 sockets connected at once and closed, 5,000 Redis connections stayed. Here each process
  (each event loop of the one layer object) has one ``BlockingConnectionPool`` of at most
  ``CHANNEL_LAYER_MAX_CONNECTIONS``; a burst waits for a free connection instead of opening more.
"""

from __future__ import annotations

from typing import Any

from channels_redis.core import RedisChannelLayer as _StockRedisChannelLayer
from redis import asyncio as aioredis


class RedisChannelLayer(_StockRedisChannelLayer):
    def __init__(
        self,
        *,
        max_connections: int = 50,
        pool_timeout: float = 20.0,
        **config: Any,
    ) -> None:
        super().__init__(**config)
        self.max_connections = max_connections
        self.pool_timeout = pool_timeout

    def create_pool(self, index: int) -> aioredis.BlockingConnectionPool:
        host = dict(self.hosts[index])
        address = host.pop("address", None)
        options = {"max_connections": self.max_connections, "timeout": self.pool_timeout, **host}
        if address is not None:
            return aioredis.BlockingConnectionPool.from_url(address, **options)
        return aioredis.BlockingConnectionPool(**options)
