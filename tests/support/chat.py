"""Chat over WebSockets in tests: the ASGI communicator, a ``Socket`` wrapper, where layers live."""

from __future__ import annotations

import importlib.util
import sys
import types
from typing import Any

import pytest

from tangerine.accounts.models import User
from tangerine.chats.models import Room

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
