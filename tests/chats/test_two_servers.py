"""Two API server processes behind one channel layer: users on different servers chat."""

from __future__ import annotations

import json
import os
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from websockets.sync.client import connect
from websockets.typing import Origin

from tangerine.accounts.models import User
from tangerine.chats.models import Message
from tests.support.api import bearer
from tests.support.chat import PULSAR_LAYER, PULSAR_LITE_LOG_LEAK, REDIS_LAYER_URL
from tests.support.servers import Server, server_database_url

pytestmark = [pytest.mark.postgres, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


@pytest.fixture(
    params=[
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
)
def two_servers(
    request: pytest.FixtureRequest, transactional_db: None, tmp_path: Path
) -> Iterator[tuple[Server, Server]]:
    if request.param == "redis":
        layer_url = REDIS_LAYER_URL
    else:
        layer_url = request.getfixturevalue("pulsar_broker").url
    env = {
        **os.environ,
        "DATABASE_URL": server_database_url(),
        "CHANNEL_LAYER_URL": layer_url,
        "CHANNEL_LAYER_PREFIX": f"two{uuid.uuid4().hex[:8]}",
    }
    servers: list[Server] = []
    try:
        servers = [Server(env, tmp_path / "a.log"), Server(env, tmp_path / "b.log")]
        deadline = time.monotonic() + 90
        for server in servers:
            server.wait_ready(deadline)
        yield servers[0], servers[1]
    finally:
        for server in servers:  # always, also when start-up failed half-way
            server.stop()


def _ticket(server: Server, user: User) -> str:
    token = bearer(user)
    response = httpx.post(
        f"{server.base}/api/chats/ws-ticket/", headers={"Authorization": token}, timeout=10
    )
    assert response.status_code == 200, response.text
    return str(response.json()["ticket"])


def _socket(server: Server, user: User) -> Any:
    return connect(
        f"ws://127.0.0.1:{server.port}/ws/chat/?ticket={_ticket(server, user)}",
        origin=Origin(f"http://127.0.0.1:{server.port}"),
        open_timeout=10,
    )


def _next(ws: Any, kind: str, text: str | None = None) -> dict[str, Any]:
    """The next frame of this type (and message text), skipping others such as own echoes."""
    while True:
        frame = json.loads(ws.recv(timeout=10))
        if frame["type"] == kind and (text is None or frame["message"]["text"] == text):
            return frame


def _send(ws: Any, room: str, text: str, client_id: str) -> None:
    ws.send(
        json.dumps({"type": "message.send", "room": room, "text": text, "client_id": client_id})
    )


def test_users_on_two_servers_chat(
    two_servers: tuple[Server, Server], alice: User, bob: User, carol: User
) -> None:
    server_a, server_b = two_servers
    with _socket(server_a, alice) as a, _socket(server_b, bob) as b:
        # A room created on server A reaches bob's open socket on server B.
        token = bearer(alice)
        created = httpx.post(
            f"{server_a.base}/api/chats/rooms/",
            json={"members": ["bob"]},
            headers={"Authorization": token},
            timeout=10,
        )
        assert created.status_code == 201, created.text
        room = created.json()["uuid"]
        assert _next(b, "room.joined")["room"] == room
        assert _next(a, "room.joined")["room"] == room

        _send(a, room, "A→B", "1")
        ack = _next(a, "message.ack")
        assert _next(b, "message")["message"] == ack["message"]

        _send(b, room, "B→A", "1")
        reply = _next(b, "message.ack")["message"]
        assert _next(a, "message", "B→A")["message"] == reply
        assert reply["seq"] == 2

        # An invite made through server B reaches carol's socket on server A.
        with _socket(server_a, carol) as c:
            token_b = bearer(bob)
            invited = httpx.post(
                f"{server_b.base}/api/chats/rooms/{room}/members/",
                json={"members": ["carol"]},
                headers={"Authorization": token_b},
                timeout=10,
            )
            assert invited.status_code == 200, invited.text
            assert _next(c, "room.joined")["room"] == room
            _send(b, room, "hi C", "2")
            assert _next(c, "message")["message"]["text"] == "hi C"
    assert Message.objects.filter(room__uuid=room).count() == 3
