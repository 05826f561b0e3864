"""Notification fixtures: a channel-layer listener (posts come from tests.factories)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from asgiref.sync import async_to_sync
from channels.layers import channel_layers, get_channel_layer

from tangerine.accounts.models import User
from tangerine.core.realtime import user_group


class Inbox:
    """The events a user's group received on the in-memory channel layer."""

    def __init__(self, layer: Any, channel: str) -> None:
        self.layer = layer
        self.channel = channel

    def events(self) -> list[dict[str, Any]]:
        received: list[dict[str, Any]] = []
        while True:
            queue = self.layer.channels.get(self.channel)
            if not queue or queue.empty():
                return received
            received.append(async_to_sync(self.layer.receive)(self.channel))


@pytest.fixture
def inbox(settings: Any) -> Iterator[Callable[[User], Inbox]]:
    """``inbox(alice).events()``: what was published to alice's user group."""
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    channel_layers.backends.clear()
    layer = get_channel_layer()

    def listen(user: User) -> Inbox:
        channel = async_to_sync(layer.new_channel)()
        async_to_sync(layer.group_add)(user_group(user.uuid), channel)
        return Inbox(layer, channel)

    yield listen
    channel_layers.backends.clear()
