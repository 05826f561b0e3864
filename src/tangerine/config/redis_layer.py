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

And one cost (issue 17): the stock ``group_send`` makes four round trips in turn (drop expired
members, read the members, drop expired messages of every member's key, then the Lua script
that adds the message). A chat message is one ``group_send``; on ``bench/chat`` these round trips
were a tenth of the event loop's busy time. Here the first two go in one pipeline and the third
runs inside the script: two round trips, the same semantics (expiry, capacity, one entry per
process for its local channels).

On the receiving side, the stock layer makes three round trips in turn before a process has
its next entry (a script that moves any backed-up entries back to the queue, ``BZPOPMIN``, and
``ZADD`` of the entry to the backup), then a fourth to drop it from the backup. The first only
matters after a receive was cut off (cancelled) between taking an entry and handing it over;
here it runs on a channel's first receive and after such a cut, and otherwise one script takes
the oldest entry and backs it up at once, falling back to the blocking wait when the queue is
empty: one round trip per entry under load instead of three, the same delivery guarantees.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from channels_redis.core import RedisChannelLayer as _StockRedisChannelLayer
from redis import asyncio as aioredis

logger = logging.getLogger(__name__)

# KEYS: the members' channel keys; ARGV: one message per key, one capacity per key, then the
# time, the cutoff below which queued messages have expired, and the keys' expiry in seconds.
_GROUP_SEND = """
local n = #KEYS
local now = ARGV[2 * n + 1]
local cutoff = ARGV[2 * n + 2]
local expiry = ARGV[2 * n + 3]
local over_capacity = 0
for i = 1, n do
    redis.call('ZREMRANGEBYSCORE', KEYS[i], 0, cutoff)
    if redis.call('ZCOUNT', KEYS[i], '-inf', '+inf') < tonumber(ARGV[i + n]) then
        redis.call('ZADD', KEYS[i], now, ARGV[i])
        redis.call('EXPIRE', KEYS[i], expiry)
    else
        over_capacity = over_capacity + 1
    end
end
return over_capacity
"""


# KEYS: a channel's queue and its backup. Its oldest entry, moved to the backup in one step
# (the stock BZPOPMIN + ZADD without the wait); nil when the queue is empty.
_POP_TO_BACKUP = """
local popped = redis.call('ZPOPMIN', KEYS[1])
if popped[1] then
    redis.call('ZADD', KEYS[2], popped[2], popped[1])
    return popped[1]
end
return false
"""


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
        # Channel keys whose backup was moved back to the queue by this process, with no
        # receive cut off since: their next entry may be taken in one round trip.
        self.backups_restored: set[str] = set()

    def create_pool(self, index: int) -> aioredis.BlockingConnectionPool:
        host = dict(self.hosts[index])
        address = host.pop("address", None)
        options = {"max_connections": self.max_connections, "timeout": self.pool_timeout, **host}
        if address is not None:
            return aioredis.BlockingConnectionPool.from_url(address, **options)
        return aioredis.BlockingConnectionPool(**options)

    async def group_send(self, group: str, message: dict[str, Any]) -> None:
        """Send ``message`` to every channel of ``group`` in two round trips (stock: four)."""
        assert self.require_valid_group_name(group), "Group name not valid"  # noqa: S101
        key = self._group_key(group)
        connection = self.connection(self.consistent_hash(group))
        now = time.time()
        pipe = connection.pipeline(transaction=False)
        pipe.zremrangebyscore(key, min=0, max=int(now) - self.group_expiry)
        pipe.zrange(key, 0, -1)
        _, members = await pipe.execute()
        channel_names = [member.decode("utf8") for member in members]
        by_connection, messages, capacities = self._map_channel_keys_to_connection(
            channel_names, message
        )
        cutoff = int(now) - int(self.expiry)
        for index, channel_keys in by_connection.items():
            args = [messages[k] for k in channel_keys] + [capacities[k] for k in channel_keys]
            over_capacity = await self.connection(index).eval(
                _GROUP_SEND, len(channel_keys), *channel_keys, *args, now, cutoff, self.expiry
            )
            if over_capacity > 0:
                logger.info(
                    "%s of %s channels over capacity in group %s",
                    over_capacity,
                    len(channel_names),
                    group,
                )

    async def _brpop_with_clean(self, index: int, channel: str, timeout: float) -> Any:
        """The channel's next entry, backed up until the caller's cleaner drops it (module
        docstring); None when none came within ``timeout``."""
        try:
            if channel not in self.backups_restored:
                member = await super()._brpop_with_clean(index, channel, timeout)
                self.backups_restored.add(channel)
                return member
            backup = self._backup_channel_name(channel)
            connection = self.connection(index)
            member = await connection.eval(_POP_TO_BACKUP, 2, channel, backup)
            if member is not None:
                return member
            result = await connection.bzpopmin(channel, timeout=timeout)
            if result is None:
                return None
            _, member, score = result
            await connection.zadd(backup, {member: float(score)})
            return member
        except BaseException:
            # Cut off (cancelled, or the connection failed) between taking an entry and
            # handing it over: the entry is in the backup; the next receive restores it first.
            self.backups_restored.discard(channel)
            raise
