"""Builds any layer under test from plain data, in the test process or in a child process."""

from __future__ import annotations

from typing import Any

from channels.layers import BaseChannelLayer, InMemoryChannelLayer

from channels_pulsar import PulsarChannelLayer

REDIS_HOST, REDIS_PORT, REDIS_DB = "127.0.0.1", 6379, 7
REDIS_URL = f"redis://{REDIS_HOST}:{REDIS_PORT}/{REDIS_DB}"


def build_layer(
    kind: str, pulsar_url: str, prefix: str, config: dict[str, Any]
) -> BaseChannelLayer:
    """A layer of ``kind`` ("memory", "redis", "redis_pubsub", "pulsar") under ``prefix``."""
    if kind == "memory":
        return InMemoryChannelLayer(**config)
    if kind == "redis":
        from channels_redis.core import RedisChannelLayer

        return RedisChannelLayer(hosts=[REDIS_URL], prefix=prefix, **config)
    if kind == "redis_pubsub":
        from channels_redis.pubsub import RedisPubSubChannelLayer

        for unsupported in ("capacity", "expiry", "group_expiry", "channel_capacity"):
            config.pop(unsupported, None)
        return RedisPubSubChannelLayer(hosts=[REDIS_URL], prefix=prefix, **config)
    if kind == "pulsar":
        return PulsarChannelLayer(pulsar_url, prefix=prefix, **config)
    raise ValueError(kind)


async def close_layer(layer: BaseChannelLayer) -> None:
    """Release a layer's connections; each layer family spells this differently."""
    if hasattr(type(layer), "close_pools"):  # channels_redis core
        await layer.close_pools()
    elif type(layer).__name__ == "RedisPubSubChannelLayer":
        await layer.flush()  # its flush() also closes every connection
    else:
        await layer.close()
