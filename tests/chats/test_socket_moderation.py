"""Moderation on an open socket: a hidden message is replaced live; blocked pairs stop talking."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from asgiref.sync import sync_to_async

from tangerine.accounts.models import User
from tangerine.accounts.services import block_create
from tangerine.chats.models import HIDDEN_MESSAGE_TEXT
from tests.factories import make_room
from tests.support.api import call_api
from tests.support.chat import Socket

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]

Connect = Callable[[User], Awaitable[Socket]]


async def _next_non_notification(socket: Socket) -> dict[str, Any]:
    """The reporter is also told about the report's outcome on the same socket."""
    while True:
        frame = await socket.receive()
        if frame["type"] != "notification":
            return frame


async def test_hiding_and_unhiding_a_message_reaches_every_open_socket_of_the_room(
    connect: Connect, alice: User, bob: User, carol: User, mod: User
) -> None:
    room = await sync_to_async(make_room)(alice, bob)
    await sync_to_async(make_room)(carol, mod)  # carol's socket needs a room of her own
    alice_socket, bob_socket, carol_socket = (
        await connect(alice),
        await connect(bob),
        await connect(carol),
    )
    await alice_socket.message_send(room, "send me your card number", "c-1")
    message = (await alice_socket.receive_type("message.ack"))["message"]
    await alice_socket.receive_type("message")
    await bob_socket.receive_type("message")

    report = await call_api(
        bob,
        "post",
        "/api/reports/",
        {"target_type": "chat_message", "target": message["uuid"], "reason": "scam"},
    )
    assert report.status_code == 201, report.json()
    path = f"/api/reports/{report.json()['uuid']}/"
    await call_api(mod, "patch", path, {"status": "in_review"})
    hide = await call_api(mod, "patch", path, {"status": "resolved", "actions": ["hide_content"]})
    assert hide.status_code == 200, hide.json()

    for socket in (alice_socket, bob_socket):
        frame = await _next_non_notification(socket)
        assert frame["type"] == "message.hidden", frame
        assert frame["room"] == str(room.uuid)
        assert frame["message"]["uuid"] == message["uuid"]
        assert frame["message"]["seq"] == message["seq"]
        assert frame["message"]["hidden"] is True
        assert frame["message"]["text"] == HIDDEN_MESSAGE_TEXT
    assert await carol_socket.nothing()

    await call_api(mod, "patch", path, {"status": "in_review", "reason": "appeal"})
    unhide = await call_api(
        mod, "patch", path, {"status": "resolved", "actions": ["unhide_content"]}
    )
    assert unhide.status_code == 200, unhide.json()
    for socket in (alice_socket, bob_socket):
        frame = await _next_non_notification(socket)
        assert frame["type"] == "message.unhidden", frame
        assert frame["message"]["uuid"] == message["uuid"]
        assert frame["message"]["hidden"] is False
        assert frame["message"]["text"] == "send me your card number"
    assert await carol_socket.nothing()


@pytest.mark.parametrize("direction", ["sender_blocked", "sender_blocks"])
async def test_a_blocked_pair_in_a_room_cannot_message_each_other(
    connect: Connect, alice: User, bob: User, direction: str
) -> None:
    room = await sync_to_async(make_room)(alice, bob)
    alice_socket, bob_socket = await connect(alice), await connect(bob)
    if direction == "sender_blocked":
        await sync_to_async(block_create)(blocker=alice, blocked=bob)
    else:
        await sync_to_async(block_create)(blocker=bob, blocked=alice)

    await bob_socket.message_send(room, "are you there?", "c-1")
    error = await bob_socket.receive_type("error")
    assert error["code"] == "blocked"
    assert error["client_id"] == "c-1"
    assert await alice_socket.nothing()

    history = await call_api(alice, "get", f"/api/chats/rooms/{room.uuid}/messages/")
    assert history.status_code == 200
    assert history.json()["results"] == []


NASTY_VALUES: list[Any] = [
    None,
    True,
    -1,
    2**70,
    1.5,
    "",
    "not-a-uuid",
    "00000000-0000-0000-0000-000000000000",
    "\x00",
    "x" * 3000,
    [],
    ["x"],
    {},
    {"uuid": "x"},
]


async def test_nasty_frames_get_error_frames_and_the_socket_keeps_working(
    connect: Connect, alice: User, bob: User, settings: Any
) -> None:
    settings.CHAT_RATE_BURST = 10_000  # this test is about shapes, not about the rate limit
    room = await sync_to_async(make_room)(alice, bob)
    socket = await connect(alice)
    frames: list[Any] = [[], "text", 12, None, {"type": None}, {"type": ["message.send"]}]
    for value in NASTY_VALUES:
        frames.append({"type": value})
        for field in ("room", "text", "client_id", "seq"):
            for kind in ("message.send", "room.read"):
                good = {"room": str(room.uuid), "text": "hi", "client_id": "c-x", "seq": 0}
                frames.append({"type": kind, **good, field: value})
    for frame in frames:
        await socket.send_text(json.dumps(frame))
        answer = await socket.receive()
        assert answer["type"] in {"error", "message.ack", "message", "room.read"}, (frame, answer)
        if answer["type"] == "error":
            assert isinstance(answer["code"], str) and isinstance(answer["detail"], str)
        # Drain what a valid frame also produced (the room's echo, the read mark).
        while not await socket.nothing(timeout=0.05):
            await socket.receive()
    await socket.send_text("{not json")
    assert (await socket.receive_type("error"))["code"] == "malformed"
    await socket.message_send(room, "still here", "c-final")
    assert (await socket.receive_type("message.ack"))["message"]["text"] == "still here"
