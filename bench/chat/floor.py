"""The floor for the chat benchmark: the same frames over the same channel layer, no database.

A socket joins its room's group on connect (``/ws/floor/?room=<uuid>``); ``message.send`` is
acknowledged at once and fanned out with one ``group_send``, frames shaped like the real
consumer's. Whatever the real path costs above this is ours (database, auth, serialisers).
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qs

from channels.generic.websocket import AsyncWebsocketConsumer


class FloorConsumer(AsyncWebsocketConsumer):
    async def connect(self) -> None:
        query = parse_qs(self.scope.get("query_string", b"").decode("latin-1"))
        self.room = (query.get("room") or ["none"])[0]
        self.group = f"bench-floor.{self.room}"
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()

    async def disconnect(self, code: int) -> None:
        await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        frame = json.loads(text_data or "{}")
        if frame.get("type") != "message.send":
            return
        message = {
            "room": self.room,
            "text": frame.get("text"),
            "client_id": frame.get("client_id"),
        }
        ack = {"type": "message.ack", "client_id": frame.get("client_id"), "message": message}
        await self.send(text_data=json.dumps(ack))
        await self.channel_layer.group_send(
            self.group, {"type": "floor.message", "message": message}
        )

    async def floor_message(self, event: dict[str, Any]) -> None:
        await self.send(
            text_data=json.dumps(
                {"type": "message", "room": self.room, "message": event["message"]}
            )
        )
