"""Chat fixtures: channel layers (memory, Redis, Pulsar), rooms, tickets and sockets."""

from __future__ import annotations

import importlib.util
import sys
import types
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import Any

import pytest
import pytest_asyncio
from asgiref.sync import sync_to_async
from channels.layers import channel_layers, get_channel_layer

from tangerine.accounts.models import User
from tangerine.chats import services
from tangerine.chats.models import Room
from tangerine.chats.tickets import ws_ticket_issue

try:
    from channels.testing import WebsocketCommunicator
except ModuleNotFoundError:  # pragma: no cover - depends on the environment
    # channels.testing's __init__ imports the live-server helper, which needs daphne (not a
    # dependency of ours). Import the communicator modules without that __init__.
    _spec = importlib.util.find_spec("channels.testing")
    assert _spec is not None and _spec.submodule_search_locations is not None
    _package = types.ModuleType("channels.testing")
    _package.__path__ = list(_spec.submodule_search_locations)
    sys.modules["channels.testing"] = _package
    from channels.testing.websocket import WebsocketCommunicator

try:
    import channels_pulsar  # noqa: F401

    PULSAR_LAYER = True
except ImportError:  # pragma: no cover - the package is developed alongside
    PULSAR_LAYER = False

# pulsar-lite 0.2 never closes the handle of its log file; not ours to fix.
PULSAR_LITE_LOG_LEAK = pytest.mark.filterwarnings(
    "ignore:Exception ignored in. <_io.FileIO name='/tmp/pulsar-lite.log'"
    ":pytest.PytestUnraisableExceptionWarning"
)
REDIS_LAYER_URL = "redis://127.0.0.1:6379/5"
ORIGIN = (b"origin", b"http://testserver")

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


def make_room(creator: User, *others: User, name: str = "") -> Room:
    return services.room_create(creator=creator, handles=[u.handle for u in others], name=name)


class Socket:
    """A connected chat socket of one user, with short helpers for frames."""

    def __init__(self, communicator: Any, user: User, timeout: float) -> None:
        self.communicator = communicator
        self.user = user
        self.timeout = timeout

    async def send(self, frame: dict[str, Any]) -> None:
        await self.communicator.send_json_to(frame)

    async def send_text(self, text: str) -> None:
        await self.communicator.send_to(text_data=text)

    async def receive(self) -> dict[str, Any]:
        return await self.communicator.receive_json_from(timeout=self.timeout)

    async def receive_type(self, kind: str) -> dict[str, Any]:
        """The next frame, which must be of this type."""
        frame = await self.receive()
        assert frame["type"] == kind, frame
        return frame

    async def nothing(self, timeout: float = 0.3) -> bool:
        return await self.communicator.receive_nothing(timeout=timeout)

    async def closed_with(self) -> int:
        output = await self.communicator.receive_output(timeout=self.timeout)
        assert output["type"] == "websocket.close", output
        return int(output["code"])

    async def message_send(self, room: Room | str, text: str, client_id: str) -> None:
        room_uuid = str(room.uuid) if isinstance(room, Room) else room
        await self.send(
            {"type": "message.send", "room": room_uuid, "text": text, "client_id": client_id}
        )


def communicator_for(ticket: str | None, origin: tuple[bytes, bytes] | None = ORIGIN) -> Any:
    from tangerine.config.asgi import application

    path = "/ws/chat/" if ticket is None else f"/ws/chat/?ticket={ticket}"
    return WebsocketCommunicator(application, path, headers=[origin] if origin else [])


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
    for communicator in opened:
        # A receive timeout in asgiref's communicator already cancelled the application.
        if not communicator.future.done():
            await communicator.disconnect(timeout=timeout)
