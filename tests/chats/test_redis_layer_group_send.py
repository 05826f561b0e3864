"""The Redis layer's ``group_send`` in two round trips (config/redis_layer.py, issue 17) keeps
the stock semantics: every member channel gets the message once, in this process and in others;
members older than ``group_expiry`` are dropped; queued messages older than ``expiry`` do not
count against a channel's capacity; a full channel is skipped without failing the others."""

from __future__ import annotations

import asyncio
import os
import time
import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest
import pytest_asyncio

from tangerine.config.redis_layer import RedisChannelLayer
from tangerine.config.settings import redis_channel_layer

pytestmark = [pytest.mark.redis, pytest.mark.asyncio]

REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0").rsplit("/", 1)[0] + "/5"


def _layer(prefix: str, **extra: Any) -> RedisChannelLayer:
    config = redis_channel_layer(REDIS_URL, prefix=prefix)["CONFIG"]
    return RedisChannelLayer(**{**config, **extra})


@pytest_asyncio.fixture
async def layers() -> AsyncIterator[tuple[RedisChannelLayer, RedisChannelLayer]]:
    """Two processes' layers on one prefix, each channel's capacity 2."""
    prefix = f"gs{uuid.uuid4().hex[:10]}"
    one, two = _layer(prefix, capacity=2), _layer(prefix, capacity=2)
    try:
        yield one, two
    finally:
        await one.flush()
        await one.close_pools()
        await two.close_pools()


async def _received(layer: RedisChannelLayer, channel: str) -> list[dict[str, Any]]:
    out = []
    while True:
        try:
            out.append(await asyncio.wait_for(layer.receive(channel), 0.3))
        except TimeoutError:
            return out


async def test_every_member_here_and_elsewhere_gets_the_message_once(
    layers: tuple[RedisChannelLayer, RedisChannelLayer],
) -> None:
    one, two = layers
    here = [await one.new_channel() for _ in range(3)]
    there = [await two.new_channel() for _ in range(2)]
    for channel in here:
        await one.group_add("room", channel)
    for channel in there:
        await two.group_add("room", channel)
    await one.group_add("other", here[0])
    await one.group_send("room", {"type": "chat.message", "n": 1})
    for layer, channels in ((one, here), (two, there)):
        for channel in channels:
            assert await _received(layer, channel) == [{"type": "chat.message", "n": 1}]
    await one.group_discard("room", here[1])
    await two.group_send("room", {"type": "chat.message", "n": 2})
    assert await _received(one, here[1]) == []
    assert [m["n"] for m in await _received(one, here[0])] == [2]
    assert [m["n"] for m in await _received(two, there[0])] == [2]


async def test_expired_members_and_messages_are_dropped_and_full_channels_skipped(
    layers: tuple[RedisChannelLayer, RedisChannelLayer],
) -> None:
    one, two = layers
    full, stale_queue, gone = "full.x", "stale.x", "gone.x"
    for channel in (full, stale_queue, gone):
        await one.group_add("room", channel)
    connection = one.connection(0)
    # ``gone`` joined longer ago than group_expiry; ``stale_queue`` holds two messages older
    # than expiry (its capacity is 2); ``full`` holds two fresh ones.
    await connection.zadd(one._group_key("room"), {gone: time.time() - one.group_expiry - 10})
    old = time.time() - one.expiry - 10
    await connection.zadd(one.prefix + stale_queue, {b"old-1": old, b"old-2": old})
    await one.send(full, {"type": "queued", "n": 1})
    await one.send(full, {"type": "queued", "n": 2})
    await one.group_send("room", {"type": "chat.message", "n": 3})
    assert [m["type"] for m in await _received(one, stale_queue)] == ["chat.message"]
    assert [m["n"] for m in await _received(one, full)] == [1, 2]  # skipped: was full
    assert await _received(two, gone) == []
    members = await connection.zrange(one._group_key("room"), 0, -1)
    assert sorted(m.decode() for m in members) == [full, stale_queue]


async def test_a_process_behind_on_its_events_loses_none_of_the_first_thousands() -> None:
    """Every socket of a process shares one Redis key, so channels_redis's default capacity of
    100 per channel was 100 events for the whole process: a process half a second behind at
    200 chat messages/s dropped messages (bench/chat: missing deliveries on Redis only)."""
    layer = _layer(f"cap{uuid.uuid4().hex[:10]}")
    try:
        # Four sockets in four rooms: 300 events wait in the process's one Redis key, 75 for
        # each socket (below a socket's own buffer of 100 in the process).
        sockets = [await layer.new_channel() for _ in range(4)]
        for number, channel in enumerate(sockets):
            await layer.group_add(f"room{number}", channel)
        for n in range(300):  # nobody reads meanwhile
            await layer.group_send(f"room{n % 4}", {"type": "chat.message", "n": n})
        for number, channel in enumerate(sockets):
            got = await _received(layer, channel)
            assert [m["n"] for m in got] == list(range(number, 300, 4))
    finally:
        await layer.flush()
        await layer.close_pools()
