"""The Redis channel layer as configured by settings: idle sockets live, connections bounded.

Before: redis-py's 5 s default read timeout raced channels_redis's 5 s blocking BRPOP, so idle
sockets died with 1006 now and then; and the stock pool kept one Redis connection per socket
that had ever been busy at the same moment, long after the sockets closed.
"""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest
import pytest_asyncio
import redis
from asgiref.sync import sync_to_async
from channels.layers import channel_layers, get_channel_layer
from django.db import connections

from tangerine.accounts.models import User
from tangerine.chats import services
from tangerine.chats.tickets import ws_ticket_issue
from tangerine.config.settings import redis_channel_layer
from tests.chats.conftest import communicator_for

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.redis]

REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0").rsplit("/", 1)[0] + "/5"
MAX_CONNECTIONS = 4


def _clients_named(name: str) -> int:
    client = redis.Redis.from_url(REDIS_URL)
    try:
        return sum(1 for entry in client.client_list() if entry.get("name") == name)
    finally:
        client.close()


@pytest_asyncio.fixture
async def layer(settings: Any) -> AsyncIterator[tuple[Any, str]]:
    """The layer exactly as settings build it, with a client name to count its connections."""
    name = f"tangerine-hardening-{uuid.uuid4().hex[:8]}"
    config = redis_channel_layer(REDIS_URL, prefix=f"t{uuid.uuid4().hex[:10]}")
    config["CONFIG"]["hosts"][0]["client_name"] = name
    config["CONFIG"]["max_connections"] = MAX_CONNECTIONS
    settings.CHANNEL_LAYERS = {"default": config}
    channel_layers.backends.clear()
    instance = get_channel_layer()
    try:
        yield instance, name
    finally:
        await instance.flush()
        await instance.close_pools()
        channel_layers.backends.clear()


async def _socket(user: User) -> Any:
    ticket, _ = await sync_to_async(ws_ticket_issue)(user=user)
    communicator = communicator_for(ticket)
    connected, code = await communicator.connect(timeout=5)
    assert connected, code
    return communicator


def test_the_read_timeout_is_above_the_blocking_read() -> None:
    from channels_redis.core import RedisChannelLayer

    config = redis_channel_layer("redis://127.0.0.1:6379/5", prefix="x")
    host = config["CONFIG"]["hosts"][0]
    assert host["socket_timeout"] > RedisChannelLayer.brpop_timeout + 0.5


@pytest.mark.asyncio
async def test_a_socket_idle_longer_than_the_blocking_read_stays_open(
    layer: tuple[Any, str], alice: User, bob: User
) -> None:
    room = await sync_to_async(services.room_create)(creator=alice, handles=["bob"], name="")
    socket = await _socket(alice)
    try:
        await asyncio.sleep(7)  # more than the 5 s BRPOP and the old 5 s read timeout
        assert not socket.future.done(), socket.future
        await socket.send_json_to(
            {
                "type": "message.send",
                "room": str(room.uuid),
                "text": "still here",
                "client_id": "c1",
            }
        )
        ack = await socket.receive_json_from(timeout=5)
        assert ack["type"] == "message.ack", ack
        fanned = await socket.receive_json_from(timeout=5)  # through Redis, back to this socket
        assert fanned["type"] == "message"
        assert fanned["message"]["text"] == "still here"
    finally:
        await socket.disconnect(timeout=5)


@pytest.mark.asyncio
async def test_redis_connections_stay_bounded_after_sockets_close(
    layer: tuple[Any, str], alice: User
) -> None:
    _, name = layer
    for _round in range(2):
        sockets = await asyncio.gather(*(_socket(alice) for _ in range(12)))
        assert await sync_to_async(_clients_named)(name) <= MAX_CONNECTIONS
        await asyncio.gather(*(s.disconnect(timeout=5) for s in sockets))
    assert 1 <= await sync_to_async(_clients_named)(name) <= MAX_CONNECTIONS
    # The sockets' database work ran in asgiref's shared thread: close its connection there.
    await sync_to_async(connections.close_all)()
