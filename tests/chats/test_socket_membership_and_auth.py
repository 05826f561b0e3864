"""Tickets, origins, closing on revoked sessions, and membership changes on an open socket."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from asgiref.sync import sync_to_async
from django.test import override_settings

from tangerine.accounts.models import User
from tangerine.accounts.services import user_revoke_all_tokens
from tangerine.chats.consumers import (
    CLOSE_INVALID_TICKET,
    CLOSE_NO_ROOMS,
    CLOSE_SESSION_REVOKED,
)
from tangerine.chats.tickets import ws_ticket_issue
from tests.factories import make_room
from tests.support.api import call_api
from tests.support.chat import Socket, communicator_for

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]

Connect = Callable[[User], Awaitable[Socket]]


async def _refused(communicator: Any) -> int:
    connected, _ = await communicator.connect()
    assert connected  # accepted only to say why, then closed
    frame = await communicator.receive_json_from()
    assert frame["type"] == "error"
    assert frame["code"] == "invalid_ticket"
    output = await communicator.receive_output()
    assert output["type"] == "websocket.close"
    await communicator.disconnect()
    return int(output["code"])


@pytest.mark.parametrize("ticket", [None, "", "made-up-ticket", "x" * 500])
async def test_missing_or_unknown_ticket_is_closed_with_4401(
    layer: Any, alice: User, ticket: str | None
) -> None:
    assert await _refused(communicator_for(ticket)) == CLOSE_INVALID_TICKET


async def test_a_ticket_works_once(layer: Any, alice: User) -> None:
    ticket, _ = await sync_to_async(ws_ticket_issue)(user=alice)
    first = communicator_for(ticket)
    connected, _ = await first.connect()
    assert connected
    assert await first.receive_nothing(timeout=0.2)

    assert await _refused(communicator_for(ticket)) == CLOSE_INVALID_TICKET
    await first.disconnect()


async def test_an_expired_ticket_is_refused(layer: Any, alice: User) -> None:
    with override_settings(CHAT_WS_TICKET_SECONDS=1):
        ticket, ttl = await sync_to_async(ws_ticket_issue)(user=alice)
    assert ttl == 1
    await asyncio.sleep(1.3)
    assert await _refused(communicator_for(ticket)) == CLOSE_INVALID_TICKET


async def test_a_ticket_issued_before_log_out_everywhere_is_refused(
    layer: Any, alice: User
) -> None:
    ticket, _ = await sync_to_async(ws_ticket_issue)(user=alice)
    await sync_to_async(user_revoke_all_tokens)(user=alice)
    assert await _refused(communicator_for(ticket)) == CLOSE_INVALID_TICKET


async def test_a_suspended_users_ticket_is_refused(layer: Any, alice: User) -> None:
    ticket, _ = await sync_to_async(ws_ticket_issue)(user=alice)
    await sync_to_async(User.objects.filter(pk=alice.pk).update)(is_active=False)
    assert await _refused(communicator_for(ticket)) == CLOSE_INVALID_TICKET


async def test_the_ticket_endpoint_gives_a_ticket_that_opens_the_socket(
    layer: Any, alice: User
) -> None:
    response = await call_api(alice, "post", "/api/chats/ws-ticket/")
    assert response.status_code == 200
    body = response.json()
    assert body["expires_in"] == 30
    communicator = communicator_for(body["ticket"])
    connected, _ = await communicator.connect()
    assert connected
    assert await communicator.receive_nothing(timeout=0.2)
    await communicator.disconnect()


@pytest.mark.parametrize(
    "origin", [(b"origin", b"http://evil.example"), (b"origin", b"null"), None]
)
async def test_foreign_or_missing_origin_is_refused(
    layer: Any, alice: User, origin: tuple[bytes, bytes] | None
) -> None:
    ticket, _ = await sync_to_async(ws_ticket_issue)(user=alice)
    communicator = communicator_for(ticket, origin=origin)
    connected, _ = await communicator.connect()
    assert not connected


async def test_log_out_everywhere_closes_the_socket_with_4001(
    connect: Connect, alice: User, bob: User
) -> None:
    await sync_to_async(make_room)(alice, bob)
    a = await connect(alice)
    b = await connect(bob)

    await sync_to_async(user_revoke_all_tokens)(user=alice)

    assert await a.receive() == {"type": "session.revoked"}
    assert await a.closed_with() == CLOSE_SESSION_REVOKED
    assert await b.nothing()  # other users' sockets are untouched


async def test_password_change_over_http_closes_the_socket(connect: Connect, alice: User) -> None:
    a = await connect(alice)
    response = await call_api(
        alice,
        "post",
        "/api/accounts/password/change/",
        {
            "old_password": "correct-horse-battery-staple",
            "new_password1": "another-long-unusual-pass",
            "new_password2": "another-long-unusual-pass",
        },
    )
    assert response.status_code in {200, 204}, response.content
    assert (await a.receive())["type"] == "session.revoked"
    assert await a.closed_with() == CLOSE_SESSION_REVOKED


async def test_a_new_room_reaches_an_open_socket_without_reconnecting(
    connect: Connect, alice: User, bob: User, carol: User
) -> None:
    b = await connect(bob)  # bob has no room yet
    a = await connect(alice)

    response = await call_api(alice, "post", "/api/chats/rooms/", {"members": ["bob", "carol"]})
    assert response.status_code == 201
    room_uuid = response.json()["uuid"]
    assert await b.receive() == {"type": "room.joined", "room": room_uuid}
    assert await a.receive() == {"type": "room.joined", "room": room_uuid}

    await a.message_send(room_uuid, "welcome", "w")
    await a.receive_type("message.ack")
    assert (await b.receive_type("message"))["message"]["text"] == "welcome"


async def test_an_invite_reaches_the_invitees_open_socket(
    connect: Connect, alice: User, bob: User, carol: User
) -> None:
    room = await sync_to_async(make_room)(alice, bob)
    c = await connect(carol)
    b = await connect(bob)

    path = f"/api/chats/rooms/{room.uuid}/members/"
    response = await call_api(alice, "post", path, {"members": ["carol"]})
    assert response.status_code == 200
    assert await c.receive() == {"type": "room.joined", "room": str(room.uuid)}
    assert await b.receive() == {
        "type": "room.members",
        "room": str(room.uuid),
        "joined": ["carol"],
        "left": [],
    }

    await b.message_send(room, "hi carol", "h")
    await b.receive_type("message.ack")
    assert (await c.receive_type("message"))["message"]["text"] == "hi carol"


async def test_leaving_a_room_stops_its_delivery_at_once_but_not_the_others(
    connect: Connect, alice: User, bob: User, carol: User
) -> None:
    left_room = await sync_to_async(make_room)(alice, bob)
    kept_room = await sync_to_async(make_room)(carol, bob)
    a, b, c = await connect(alice), await connect(bob), await connect(carol)

    response = await call_api(bob, "post", f"/api/chats/rooms/{left_room.uuid}/leave/")
    assert response.status_code == 204
    assert await b.receive() == {"type": "room.left", "room": str(left_room.uuid)}
    assert (await a.receive_type("room.members"))["left"] == ["bob"]

    await a.message_send(left_room, "bob is gone", "g")
    await a.receive_type("message.ack")
    await c.message_send(kept_room, "still here?", "s")
    await c.receive_type("message.ack")
    frame = await b.receive_type("message")
    assert frame["room"] == str(kept_room.uuid)
    assert await b.nothing()
    # And the leaver can no longer send there.
    await b.message_send(left_room, "sneaking back", "x")
    assert (await b.receive_type("error"))["code"] == "not_found"


async def test_leaving_my_last_room_closes_my_socket(
    connect: Connect, alice: User, bob: User
) -> None:
    room = await sync_to_async(make_room)(alice, bob)
    b = await connect(bob)
    response = await call_api(bob, "post", f"/api/chats/rooms/{room.uuid}/leave/")
    assert response.status_code == 204
    assert await b.receive() == {"type": "room.left", "room": str(room.uuid)}
    assert await b.closed_with() == CLOSE_NO_ROOMS


async def test_a_read_over_http_reaches_my_sockets(
    connect: Connect, alice: User, bob: User
) -> None:
    room = await sync_to_async(make_room)(alice, bob)
    a = await connect(alice)
    await a.message_send(room, "read me", "r")
    await a.receive_type("message.ack")
    b = await connect(bob)
    response = await call_api(bob, "post", f"/api/chats/rooms/{room.uuid}/read/", {})
    assert response.json() == {"room": str(room.uuid), "last_read_seq": 1}
    assert await b.receive() == {"type": "room.read", "room": str(room.uuid), "seq": 1}
