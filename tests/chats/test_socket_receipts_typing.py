"""Sockets: read receipts (``member.read``), typing (``typing``), deletes (``message.deleted``)
and photo messages, over the in-memory, Redis and Pulsar channel layers."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from asgiref.sync import sync_to_async
from django.core.cache import cache

from tangerine.accounts.models import Block, User
from tangerine.chats import services
from tangerine.chats.models import DELETED_MESSAGE_TEXT, Message, Room
from tangerine.images.models import Image
from tests.factories import make_room
from tests.support.chat import Socket

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]

Connect = Callable[[User], Awaitable[Socket]]


async def _room(creator: User, *others: User) -> Room:
    return await sync_to_async(make_room)(creator, *others)


async def _send_and_drain(sender: Socket, room: Room, text: str, *others: Socket) -> dict[str, Any]:
    await sender.message_send(room, text, text)
    ack = await sender.receive_type("message.ack")
    await sender.receive_type("message")
    for other in others:
        await other.receive_type("message")
    return dict(ack["message"])


async def test_a_message_carries_unread_count_and_reads_come_back_as_receipts(
    connect: Connect, alice: User, bob: User, carol: User
) -> None:
    room = await _room(alice, bob, carol)
    a, b, c = await connect(alice), await connect(bob), await connect(carol)
    message = await _send_and_drain(a, room, "hello", b, c)
    assert message["unread_count"] == 2

    await b.send({"type": "room.read", "room": str(room.uuid), "seq": message["seq"]})
    await b.receive_type("room.read")
    receipt = {"type": "member.read", "room": str(room.uuid), "handle": "bob", "seq": 1}
    assert await a.receive() == receipt
    assert await c.receive() == receipt
    assert await b.nothing()  # the reader's own sockets got room.read

    # Reading again up to the same mark tells nobody.
    await b.send({"type": "room.read", "room": str(room.uuid), "seq": 1})
    await b.receive_type("room.read")
    assert await a.nothing()


async def test_a_read_over_http_is_a_receipt_too(connect: Connect, alice: User, bob: User) -> None:
    room = await _room(alice, bob)
    a, b = await connect(alice), await connect(bob)
    await _send_and_drain(a, room, "hi", b)
    await sync_to_async(services.membership_mark_read)(user=bob, room_uuid=room.uuid)
    frame = await a.receive_type("member.read")
    assert (frame["handle"], frame["seq"]) == ("bob", 1)


async def test_typing_reaches_the_others_throttled(
    connect: Connect, alice: User, bob: User, carol: User
) -> None:
    await sync_to_async(cache.clear)()
    room = await _room(alice, bob, carol)
    a, a2, b, c = (
        await connect(alice),
        await connect(alice),
        await connect(bob),
        await connect(carol),
    )
    await a.send({"type": "typing", "room": str(room.uuid)})
    for other in (b, c):
        frame = await other.receive_type("typing")
        assert frame == {
            "type": "typing",
            "room": str(room.uuid),
            "handle": "alice",
            "display_name": "Alice 앨리스",
            "expires_in": 6,
        }
    assert await a.nothing()
    assert await a2.nothing()  # not to the typist's other sockets either
    # More keystrokes within the throttle window, from either socket, send nothing more.
    await a.send({"type": "typing", "room": str(room.uuid)})
    await a2.send({"type": "typing", "room": str(room.uuid)})
    assert await b.nothing()
    assert await sync_to_async(Message.objects.count)() == 0  # nothing is stored


async def test_typing_is_not_shown_to_someone_who_blocked_the_typist(
    connect: Connect, alice: User, bob: User, carol: User
) -> None:
    await sync_to_async(cache.clear)()
    room = await _room(alice, bob, carol)
    await sync_to_async(Block.objects.create)(blocker=carol, blocked=alice)
    a, b, c = await connect(alice), await connect(bob), await connect(carol)
    await a.send({"type": "typing", "room": str(room.uuid)})
    await b.receive_type("typing")
    assert await c.nothing()


@pytest.mark.parametrize(
    ("frame", "code"),
    [
        ({"type": "typing"}, "not_found"),
        ({"type": "typing", "room": "not-a-uuid"}, "not_found"),
        ({"type": "typing", "room": "00000000-0000-0000-0000-000000000000"}, "not_found"),
    ],
)
async def test_bad_typing_frames_are_refused_and_the_socket_stays_usable(
    connect: Connect,
    alice: User,
    bob: User,
    frame: dict,
    code: str,
) -> None:
    room = await _room(alice, bob)
    a = await connect(alice)
    await a.send(frame)
    error = await a.receive_type("error")
    assert error["code"] == code
    assert error["detail"]
    await a.message_send(room, "still here", "c-1")
    assert (await a.receive_type("message.ack"))["message"]["text"] == "still here"


async def test_typing_in_a_room_i_am_not_in_is_not_found(
    connect: Connect, alice: User, bob: User, carol: User
) -> None:
    room = await _room(alice, bob)
    c = await connect(carol)
    await c.send({"type": "typing", "room": str(room.uuid)})
    assert (await c.receive_type("error"))["code"] == "not_found"


async def test_a_deleted_message_is_replaced_live(connect: Connect, alice: User, bob: User) -> None:
    room = await _room(alice, bob)
    a, b = await connect(alice), await connect(bob)
    message = await _send_and_drain(a, room, "oops", b)
    await sync_to_async(services.message_delete)(
        user=alice, room_uuid=room.uuid, message_uuid=message["uuid"]
    )
    for sock in (a, b):
        frame = await sock.receive_type("message.deleted")
        assert frame["room"] == str(room.uuid)
        assert frame["message"]["uuid"] == message["uuid"]
        assert frame["message"]["deleted"] is True
        assert frame["message"]["text"] == DELETED_MESSAGE_TEXT


async def test_a_photo_message_over_the_socket(connect: Connect, alice: User, bob: User) -> None:
    room = await _room(alice, bob)
    image = await sync_to_async(Image.objects.create)(
        owner=alice,
        content_type="image/jpeg",
        size=10,
        key="k/photo",
        status=Image.Status.READY,
        width=800,
        height=600,
        variants=[{"key": "v/p-400.webp", "width": 400, "height": 300, "format": "webp"}],
    )
    a, b = await connect(alice), await connect(bob)
    await a.send(
        {
            "type": "message.send",
            "room": str(room.uuid),
            "client_id": "p-1",
            "image": str(image.uuid),
        }
    )
    ack = await a.receive_type("message.ack")
    assert ack["message"]["image"]["uuid"] == str(image.uuid)
    assert ack["message"]["text"] == ""
    frame = await b.receive_type("message")
    assert frame["message"]["image"]["variants"][0]["width"] == 400


@pytest.mark.parametrize(
    ("extra", "code"),
    [
        ({"image": 5}, "invalid"),
        ({"image": "not-a-uuid"}, "invalid"),
        ({"image": "00000000-0000-0000-0000-000000000000"}, "invalid"),
        ({}, "invalid"),  # neither text nor image
    ],
)
async def test_bad_photo_frames_are_refused(
    connect: Connect,
    alice: User,
    bob: User,
    extra: dict,
    code: str,
) -> None:
    room = await _room(alice, bob)
    a = await connect(alice)
    await a.send({"type": "message.send", "room": str(room.uuid), "client_id": "p-1", **extra})
    error = await a.receive_type("error")
    assert (error["code"], error["client_id"]) == (code, "p-1")
    assert await sync_to_async(Message.objects.count)() == 0
