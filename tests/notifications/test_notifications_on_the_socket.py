"""Notifications reach the recipient's chat WebSocket (DESIGN.md), over memory and Redis."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
import pytest_asyncio
from asgiref.sync import sync_to_async
from channels.layers import channel_layers, get_channel_layer

from tangerine.chats.tickets import ws_ticket_issue
from tangerine.notifications import services
from tangerine.notifications.models import Notification
from tests.support.chat import REDIS_LAYER_URL, communicator_for

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]


@pytest_asyncio.fixture(
    params=[
        pytest.param("memory", id="memory"),
        pytest.param("redis", marks=pytest.mark.redis, id="redis"),
    ]
)
async def layer(request: pytest.FixtureRequest, settings: Any) -> Any:
    if request.param == "memory":
        config: dict[str, Any] = {"BACKEND": "channels.layers.InMemoryChannelLayer"}
    else:
        config = {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [REDIS_LAYER_URL], "prefix": f"n{uuid.uuid4().hex[:10]}"},
        }
    settings.CHANNEL_LAYERS = {"default": config}
    channel_layers.backends.clear()
    instance = get_channel_layer()
    yield instance
    if request.param == "redis":
        await instance.flush()
        await instance.close_pools()
    channel_layers.backends.clear()


async def _socket(user: Any) -> Any:
    ticket, _ = await sync_to_async(ws_ticket_issue)(user=user)
    communicator = communicator_for(ticket)
    connected, code = await communicator.connect(timeout=5)
    assert connected, code
    return communicator


async def test_a_new_follower_rings_the_followees_socket(layer, alice, bob, carol):
    alice_socket = await _socket(alice)
    carol_socket = await _socket(carol)
    try:
        await sync_to_async(services.notify_follow)(follower=bob, followee=alice)
        frame = await alice_socket.receive_json_from(timeout=5)
        row = await sync_to_async(Notification.objects.get)(recipient=alice)
        assert frame["type"] == "notification"
        assert frame["notification"]["uuid"] == str(row.uuid)
        assert frame["notification"]["kind"] == "follow"
        assert frame["notification"]["actor"]["handle"] == "bob"
        assert frame["notification"]["read"] is False
        assert await carol_socket.receive_nothing(timeout=0.3)
    finally:
        await alice_socket.disconnect()
        await carol_socket.disconnect()


async def test_a_suppressed_notification_rings_nothing(layer, alice, bob):
    from tangerine.accounts.models import Block

    await sync_to_async(Block.objects.create)(blocker=alice, blocked=bob)
    alice_socket = await _socket(alice)
    try:
        assert await sync_to_async(services.notify_follow)(follower=bob, followee=alice) is None
        assert await alice_socket.receive_nothing(timeout=0.3)
    finally:
        await alice_socket.disconnect()
