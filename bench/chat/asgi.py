"""The product's ASGI application plus the benchmark's floor consumer at ``/ws/floor/``, so the
floor and the real chat run in the same server process in the same run."""

from __future__ import annotations

from typing import Any

from channels.routing import URLRouter
from django.urls import path

from bench.chat.floor import FloorConsumer
from tangerine.config.asgi import application as product_application

floor_application = URLRouter([path("ws/floor/", FloorConsumer.as_asgi())])


async def application(scope: dict[str, Any], receive: Any, send: Any) -> None:
    if scope["type"] == "websocket" and scope["path"].startswith("/ws/floor/"):
        await floor_application(scope, receive, send)
    else:
        await product_application(scope, receive, send)
