"""The chat socket's frames, over the in-memory, Redis and Pulsar channel layers."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from asgiref.sync import sync_to_async
from django.test import override_settings

from tangerine.accounts.models import User
from tangerine.chats import events
from tangerine.chats.models import MESSAGE_TEXT_MAX_LENGTH, Membership, Message, Room
from tests.factories import make_room
from tests.support.chat import Socket

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]

Connect = Callable[[User], Awaitable[Socket]]


async def _room(creator: User, *others: User) -> Room:
    return await sync_to_async(make_room)(creator, *others)


async def _count(**filters: Any) -> int:
    return await sync_to_async(Message.objects.filter(**filters).count)()


async def test_three_members_get_ack_then_the_message(
    connect: Connect, alice: User, bob: User, carol: User
) -> None:
    room = await _room(alice, bob, carol)
    a, b, c = await connect(alice), await connect(bob), await connect(carol)

    await a.message_send(room, "안녕하세요, hello", "c-1")

    ack = await a.receive_type("message.ack")
    assert ack["client_id"] == "c-1"
    message = ack["message"]
    assert message["room"] == str(room.uuid)
    assert message["sender"] == {"handle": "alice", "display_name": "Alice 앨리스"}
    assert message["text"] == "안녕하세요, hello"
    assert message["seq"] == 1
    assert message["client_id"] == "c-1"
    assert message["uuid"] and message["created_at"]
    # The sender's own socket also receives the fan-out (their other devices need it).
    own = await a.receive_type("message")
    assert own == {"type": "message", "room": str(room.uuid), "message": message}
    for other in (b, c):
        frame = await other.receive_type("message")
        assert frame == {"type": "message", "room": str(room.uuid), "message": message}
    assert await _count(room=room) == 1

    await b.message_send(room, "second", "b-1")
    assert (await b.receive_type("message.ack"))["message"]["seq"] == 2
    assert (await a.receive_type("message"))["message"]["text"] == "second"


async def test_resend_with_same_client_id_returns_original_ack_and_stores_nothing(
    connect: Connect, alice: User, bob: User
) -> None:
    room = await _room(alice, bob)
    a, b = await connect(alice), await connect(bob)
    await a.message_send(room, "once", "same-id")
    first = await a.receive_type("message.ack")
    await a.receive_type("message")
    await b.receive_type("message")

    await a.message_send(room, "once (retry)", "same-id")
    second = await a.receive_type("message.ack")

    assert second == first
    assert await _count(room=room) == 1
    assert await b.nothing()
    assert await a.nothing()


async def test_a_message_the_layer_hands_over_twice_is_sent_once(
    connect: Connect, layer: Any, alice: User, bob: User
) -> None:
    # The Redis layer delivers at least once: when its clean-up of a received message fails
    # (a dropped Redis connection), the next receive hands the same message over again.
    room = await _room(alice, bob)
    a, b = await connect(alice), await connect(bob)
    await a.message_send(room, "once", "c-1")
    message = (await a.receive_type("message.ack"))["message"]
    assert (await b.receive_type("message"))["message"] == message
    await a.receive_type("message")

    event = {
        "type": "chat.message",
        "room": str(room.uuid),
        "sender": str(alice.uuid),
        "message": message,
    }
    await layer.group_send(events.room_group(str(room.uuid)), event)
    assert await b.nothing(0.5)
    assert await a.nothing(0.1)

    # A new message still goes through.
    await b.message_send(room, "twice?", "b-1")
    assert (await a.receive_type("message"))["message"]["text"] == "twice?"


async def test_two_senders_may_use_the_same_client_id(
    connect: Connect, alice: User, bob: User
) -> None:
    room = await _room(alice, bob)
    a, b = await connect(alice), await connect(bob)
    await a.message_send(room, "from alice", "x")
    await b.message_send(room, "from bob", "x")
    assert (await a.receive_type("message.ack"))["message"]["text"] == "from alice"
    assert (await b.receive_type("message.ack"))["message"]["text"] == "from bob"
    assert await _count(room=room) == 2


async def test_non_member_cannot_send_and_socket_stays_usable(
    connect: Connect, alice: User, bob: User, carol: User
) -> None:
    room = await _room(alice, bob)
    carols_room = await _room(carol, alice)
    b = await connect(bob)
    c = await connect(carol)

    await c.message_send(room, "let me in", "intruder")

    error = await c.receive_type("error")
    assert error["code"] == "not_found"
    assert error["client_id"] == "intruder"
    assert await _count(room=room) == 0
    assert await b.nothing()
    await c.message_send(carols_room, "still works", "ok-1")
    assert (await c.receive_type("message.ack"))["message"]["text"] == "still works"


@pytest.mark.parametrize(
    ("frame", "code"),
    [
        ("not json at all", "malformed"),
        ("[1, 2, 3]", "malformed"),
        ('"a string"', "malformed"),
        ('{"no": "type"}', "unknown_type"),
        ('{"type": "message.delete"}', "unknown_type"),
        ('{"type": "message.send", "room": "x", "text": "hi"}', "invalid"),
        ('{"type": "message.send", "room": "not-a-uuid", "text": "hi", "client_id": "1"}',
         "not_found"),
        ('{"type": "message.send", "text": "hi", "client_id": "1"}', "not_found"),
        ('{"type": "message.send", "room": "ROOM", "text": "", "client_id": "1"}', "invalid"),
        ('{"type": "message.send", "room": "ROOM", "text": 5, "client_id": "1"}', "invalid"),
        ('{"type": "message.send", "room": "ROOM", "text": "hi", "client_id": 7}', "invalid"),
        ('{"type": "message.send", "room": "ROOM", "text": "hi", "client_id": ""}', "invalid"),
        ('{"type": "room.read", "room": "ROOM", "seq": -1}', "invalid"),
        ('{"type": "room.read", "room": "ROOM", "seq": "5"}', "invalid"),
        ('{"type": "room.read", "room": "nope"}', "not_found"),
    ],
)  # fmt: skip
async def test_malformed_frames_get_an_error_and_socket_stays_usable(
    connect: Connect, alice: User, bob: User, frame: str, code: str
) -> None:
    room = await _room(alice, bob)
    a = await connect(alice)

    await a.send_text(frame.replace("ROOM", str(room.uuid)))

    error = await a.receive_type("error")
    assert error["code"] == code
    assert error["detail"]
    assert await _count(room=room) == 0
    await a.message_send(room, "after the error", "ok")
    assert (await a.receive_type("message.ack"))["message"]["seq"] == 1


async def test_binary_and_oversized_frames_are_refused(
    connect: Connect, alice: User, bob: User
) -> None:
    room = await _room(alice, bob)
    a = await connect(alice)
    await a.communicator.send_to(bytes_data=b"\x00\x01")
    assert (await a.receive_type("error"))["code"] == "unsupported"
    await a.send_text('{"type": "message.send", "text": "' + "x" * 20000 + '"}')
    assert (await a.receive_type("error"))["code"] == "frame_too_large"
    await a.message_send(room, "fine", "ok")
    await a.receive_type("message.ack")


async def test_text_longer_than_the_limit_is_refused(
    connect: Connect, alice: User, bob: User
) -> None:
    room = await _room(alice, bob)
    a = await connect(alice)

    await a.message_send(room, "가" * (MESSAGE_TEXT_MAX_LENGTH + 1), "long")
    error = await a.receive_type("error")
    assert error["code"] == "text_too_long"
    assert error["client_id"] == "long"
    assert await _count(room=room) == 0

    await a.message_send(room, "가" * MESSAGE_TEXT_MAX_LENGTH, "just-fits")
    ack = await a.receive_type("message.ack")
    assert len(ack["message"]["text"]) == MESSAGE_TEXT_MAX_LENGTH


async def test_sending_faster_than_the_rate_limit_gets_rate_limited(
    connect: Connect, alice: User, bob: User
) -> None:
    room = await _room(alice, bob)
    with override_settings(CHAT_RATE_BURST=3, CHAT_RATE_PER_SECOND=1):
        a = await connect(alice)
    for number in range(6):
        await a.message_send(room, f"flood {number}", f"f-{number}")
    answers: list[dict[str, Any]] = []
    while len(answers) < 6:  # one ack or error per frame; skip the fan-out copies
        frame = await a.receive()
        if frame["type"] != "message":
            answers.append(frame)
    acks = [f for f in answers if f["type"] == "message.ack"]
    errors = [f for f in answers if f["type"] == "error"]
    # Three at once (the burst), plus at most one refilled while the six frames were handled.
    assert 3 <= len(acks) <= 4
    assert len(errors) == 6 - len(acks)
    assert {e["code"] for e in errors} == {"rate_limited"}
    assert all(e["client_id"].startswith("f-") for e in errors)
    assert await _count(room=room) == len(acks)

    await asyncio.sleep(1.1)
    await a.message_send(room, "after a pause", "later")
    while (frame := await a.receive())["type"] == "message":
        pass
    assert frame["type"] == "message.ack"


async def test_room_read_moves_the_mark_and_tells_my_other_sockets(
    connect: Connect, alice: User, bob: User
) -> None:
    room = await _room(alice, bob)
    a = await connect(alice)
    b1, b2 = await connect(bob), await connect(bob)
    for number in range(3):
        await a.message_send(room, f"m{number}", f"m{number}")
        await a.receive_type("message.ack")
        await a.receive_type("message")
        for sock in (b1, b2):
            await sock.receive_type("message")

    await b1.send({"type": "room.read", "room": str(room.uuid), "seq": 2})

    for sock in (b1, b2):
        assert await sock.receive() == {"type": "room.read", "room": str(room.uuid), "seq": 2}
    # The sender learns it as a read receipt (its messages' unread counts drop).
    assert await a.receive() == {
        "type": "member.read",
        "room": str(room.uuid),
        "handle": "bob",
        "seq": 2,
    }
    assert await a.nothing()
    mark = await sync_to_async(Membership.objects.get)(room=room, user=bob)
    assert mark.last_read_seq == 2

    await b2.send({"type": "room.read", "room": str(room.uuid)})  # no seq: everything
    assert (await b1.receive())["seq"] == 3
    await b2.send({"type": "room.read", "room": str(room.uuid), "seq": 999})  # clamped
    assert (await b1.receive())["seq"] == 3


async def test_room_read_in_a_room_i_am_not_in_is_an_error(
    connect: Connect, alice: User, bob: User, carol: User
) -> None:
    room = await _room(alice, bob)
    c = await connect(carol)
    await c.send({"type": "room.read", "room": str(room.uuid), "seq": 1})
    assert (await c.receive_type("error"))["code"] == "not_found"
