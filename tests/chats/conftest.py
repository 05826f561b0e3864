"""Chat fixtures: channel layers (memory, Redis, Pulsar), rooms, tickets and sockets."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import Any

import pytest
import pytest_asyncio
from asgiref.sync import sync_to_async
from channels.layers import channel_layers, get_channel_layer

from tangerine.accounts.models import User
from tangerine.chats.tickets import ws_ticket_issue
from tests.support.chat import (
    PULSAR_LAYER,
    PULSAR_LITE_LOG_LEAK,
    REDIS_LAYER_URL,
    Socket,
    communicator_for,
)

CLOSE_TIMEOUT = 1.0  # seconds a socket's consumer gets to finish at teardown

LAYERS = [
    pytest.param("memory", id="memory"),
    pytest.param("redis", marks=pytest.mark.redis, id="redis"),
    pytest.param(
        "pulsar",
        marks=[
            pytest.mark.pulsar,
            PULSAR_LITE_LOG_LEAK,
            pytest.mark.skipif(not PULSAR_LAYER, reason="channels_pulsar is not importable"),
        ],
        id="pulsar",
    ),
]


@pytest.fixture(scope="session")
def pulsar_broker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """A real pulsar-lite broker for the whole session."""
    from pulsar_lite import start_broker

    broker = start_broker(str(tmp_path_factory.mktemp("pulsar") / "broker.db"))
    try:
        yield broker
    finally:
        broker.stop()


def layer_config(kind: str, request: pytest.FixtureRequest, prefix: str) -> dict[str, Any]:
    if kind == "memory":
        return {"BACKEND": "channels.layers.InMemoryChannelLayer"}
    if kind == "redis":
        return {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [REDIS_LAYER_URL], "prefix": prefix},
        }
    broker = request.getfixturevalue("pulsar_broker")
    return {
        "BACKEND": "channels_pulsar.PulsarChannelLayer",
        "CONFIG": {"service_url": broker.url, "prefix": prefix},
    }


@pytest_asyncio.fixture(params=LAYERS)
async def layer(request: pytest.FixtureRequest, settings: Any) -> AsyncIterator[Any]:
    """A fresh channel layer of each kind for one test (own prefix: tests never mix)."""
    kind = request.param
    settings.CHANNEL_LAYERS = {
        "default": layer_config(kind, request, prefix=f"t{uuid.uuid4().hex[:10]}")
    }
    channel_layers.backends.clear()
    instance = get_channel_layer()
    try:
        yield instance
    finally:
        if kind == "redis":
            await instance.flush()
            await instance.close_pools()
        elif kind == "pulsar":
            await instance.close()
        channel_layers.backends.clear()


@pytest_asyncio.fixture
async def connect(layer: Any) -> AsyncIterator[Callable[[User], Awaitable[Socket]]]:
    """``await connect(alice)``: a chat socket for alice over the test's channel layer."""
    opened: list[Any] = []
    timeout = 1.0 if type(layer).__name__ == "InMemoryChannelLayer" else 5.0

    async def open_socket(user: User) -> Socket:
        ticket, _ = await sync_to_async(ws_ticket_issue)(user=user)
        communicator = communicator_for(ticket)
        opened.append(communicator)
        connected, code = await communicator.connect(timeout=timeout)
        assert connected, code
        return Socket(communicator, user, timeout)

    yield open_socket
    # Close all sockets at once, each given CLOSE_TIMEOUT to finish. On the Redis layer a
    # consumer can lose the cancellation of its layer receive: redis-py sends each command
    # through asyncio.wait_for (it has a socket timeout), and Python 3.11's wait_for swallows a
    # cancel that lands once the send is done; the receive then loops in BZPOPMIN (a shorter
    # brpop_timeout only makes it loop faster) until asgiref's communicator times out and
    # cancels again. Waiting 5 s for each such socket, one after the other, cost 67 s of
    # teardown over the 47 Redis socket tests of tests/chats; now 25 s, none above 1.5 s.
    # (A receive timeout in asgiref's communicator already cancelled the application.)
    await asyncio.gather(
        *(c.disconnect(timeout=CLOSE_TIMEOUT) for c in opened if not c.future.done())
    )
