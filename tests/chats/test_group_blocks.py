"""A block in a group room hides the blocked member's messages from the blocker only.

Before, any block between the sender and any member refused every message to the room: one
member could silence a group chat by blocking someone in it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from asgiref.sync import sync_to_async

from tangerine.accounts.models import User
from tangerine.accounts.services import block_create, block_delete
from tangerine.chats.models import BLOCKED_MESSAGE_TEXT
from tests.factories import make_room
from tests.support.api import client_for
from tests.support.chat import Socket

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]

Connect = Callable[[User], Awaitable[Socket]]


async def _history(user: User, room: Any) -> list[dict[str, Any]]:
    def call() -> Any:
        return client_for(user).get(f"/api/chats/rooms/{room.uuid}/messages/")

    response = await sync_to_async(call)()
    assert response.status_code == 200, response.content
    return list(response.json()["results"])


async def test_in_a_group_the_blocked_member_still_talks_and_the_blocker_sees_a_placeholder(
    connect: Connect, alice: User, bob: User, carol: User
) -> None:
    room = await sync_to_async(make_room)(alice, bob, carol)
    alice_socket, bob_socket, carol_socket = (
        await connect(alice),
        await connect(bob),
        await connect(carol),
    )
    await sync_to_async(block_create)(blocker=alice, blocked=bob)

    await bob_socket.message_send(room, "hello group", "c-1")
    ack = await bob_socket.receive_type("message.ack")
    assert ack["message"]["text"] == "hello group"
    assert (await bob_socket.receive_type("message"))["message"]["text"] == "hello group"
    carol_frame = await carol_socket.receive_type("message")
    assert carol_frame["message"]["text"] == "hello group"
    assert carol_frame["message"]["hidden"] is False
    alice_frame = await alice_socket.receive_type("message")
    assert alice_frame["message"]["seq"] == ack["message"]["seq"]
    assert alice_frame["message"]["text"] == BLOCKED_MESSAGE_TEXT
    assert alice_frame["message"]["hidden"] is True

    # The blocker's messages still reach the blocked member (the block hides for the blocker).
    await alice_socket.message_send(room, "hi carol", "a-1")
    await alice_socket.receive_type("message.ack")
    assert (await bob_socket.receive_type("message"))["message"]["text"] == "hi carol"

    assert [m["text"] for m in await _history(alice, room)] == ["hi carol", BLOCKED_MESSAGE_TEXT]
    assert [m["text"] for m in await _history(carol, room)] == ["hi carol", "hello group"]


async def test_unblocking_shows_the_members_messages_again_live(
    connect: Connect, alice: User, bob: User, carol: User
) -> None:
    room = await sync_to_async(make_room)(alice, bob, carol)
    alice_socket, bob_socket = await connect(alice), await connect(bob)
    await sync_to_async(block_create)(blocker=alice, blocked=bob)
    await sync_to_async(block_delete)(blocker=alice, blocked=bob)
    await bob_socket.message_send(room, "back again", "c-2")
    await bob_socket.receive_type("message.ack")
    frame = await alice_socket.receive_type("message")
    assert frame["message"]["text"] == "back again"


async def test_a_one_to_one_room_still_refuses_a_blocked_pair(
    connect: Connect, alice: User, bob: User
) -> None:
    room = await sync_to_async(make_room)(alice, bob)
    bob_socket = await connect(bob)
    await sync_to_async(block_create)(blocker=alice, blocked=bob)
    await bob_socket.message_send(room, "are you there?", "c-1")
    assert (await bob_socket.receive_type("error"))["code"] == "blocked"
