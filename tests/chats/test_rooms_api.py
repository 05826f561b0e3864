"""REST: rooms, membership, history, read state, tickets."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from tangerine.accounts.models import Block, User
from tangerine.chats import services
from tangerine.chats.models import HIDDEN_MESSAGE_TEXT, Membership, Message, Room
from tests.factories import make_room

pytestmark = pytest.mark.django_db

ROOMS = "/api/chats/rooms/"
AsUser = Callable[[User], APIClient]


def _send(room: Room, sender: User, text: str, client_id: str | None = None) -> Message:
    return services.message_send(
        sender=sender, room_uuid=room.uuid, text=text, client_id=client_id or text
    ).message


# --- create ---


def test_create_a_room_with_two_others(
    as_user: AsUser, alice: User, bob: User, carol: User
) -> None:
    response = as_user(alice).post(ROOMS, {"members": ["BOB", "carol"], "name": "장터 모임"})
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["name"] == "장터 모임"
    assert sorted(m["handle"] for m in body["members"]) == ["alice", "bob", "carol"]
    assert body["last_message"] is None
    assert body["unread_count"] == 0
    assert body["uuid"] and body["updated_at"]
    room = Room.objects.get(uuid=body["uuid"])
    assert room.created_by == alice
    assert set(room.memberships.values_list("user__handle", flat=True)) == {"alice", "bob", "carol"}


def test_create_a_room_without_a_name(as_user: AsUser, alice: User, bob: User) -> None:
    response = as_user(alice).post(ROOMS, {"members": ["bob"]})
    assert response.status_code == 201
    assert response.json()["name"] == ""


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "members"),
        ({"members": []}, "members"),
        ({"members": "bob"}, "members"),
        ({"members": ["alice"]}, "members"),  # only me
        ({"members": ["nobody_here"]}, "members"),
        ({"members": ["bob", "x" * 31]}, "members"),
        ({"members": [f"user{i}" for i in range(51)]}, "members"),
        ({"members": ["bob"], "name": "n" * 101}, "name"),
    ],
)
def test_create_refuses_bad_input(
    as_user: AsUser, alice: User, bob: User, body: dict[str, Any], field: str
) -> None:
    response = as_user(alice).post(ROOMS, body)
    assert response.status_code == 400
    assert field in response.json()["fields"]
    assert not Room.objects.exists()


def test_create_refuses_a_suspended_user(as_user: AsUser, alice: User, bob: User) -> None:
    User.objects.filter(pk=bob.pk).update(suspended_at=timezone.now())
    assert as_user(alice).post(ROOMS, {"members": ["bob"]}).status_code == 400


@pytest.mark.parametrize("direction", ["i_blocked", "blocked_me"])
def test_blocked_users_cannot_be_in_a_room_together(
    as_user: AsUser, alice: User, bob: User, carol: User, direction: str
) -> None:
    if direction == "i_blocked":
        Block.objects.create(blocker=alice, blocked=bob)
    else:
        Block.objects.create(blocker=bob, blocked=alice)
    response = as_user(alice).post(ROOMS, {"members": ["bob", "carol"]})
    assert response.status_code == 400
    assert "members" in response.json()["fields"]
    assert not Room.objects.exists()


def test_anonymous_cannot_use_chats(anon: APIClient, alice: User, bob: User) -> None:
    room = make_room(alice, bob)
    assert anon.get(ROOMS).status_code == 401
    assert anon.post(ROOMS, {"members": ["bob"]}).status_code == 401
    assert anon.get(f"{ROOMS}{room.uuid}/").status_code == 401
    assert anon.get(f"{ROOMS}{room.uuid}/messages/").status_code == 401
    assert anon.post("/api/chats/ws-ticket/").status_code == 401


# --- list and detail ---


def test_my_rooms_newest_activity_first_with_last_message_and_unread(
    as_user: AsUser, alice: User, bob: User, carol: User
) -> None:
    older = make_room(alice, bob, name="older")
    newer = make_room(alice, carol, name="newer")
    not_mine = make_room(bob, carol, name="not mine")
    _send(older, bob, "hi alice")
    _send(older, bob, "are you there?")
    _send(not_mine, bob, "private")

    body = as_user(alice).get(ROOMS).json()

    assert [r["name"] for r in body["results"]] == ["older", "newer"]
    first = body["results"][0]
    assert first["unread_count"] == 2
    assert first["last_message"]["text"] == "are you there?"
    assert first["last_message"]["sender"] == {"handle": "bob", "display_name": "Bob 밥"}
    assert first["last_message"]["room"] == str(older.uuid)
    assert body["results"][1]["unread_count"] == 0
    assert body["results"][1]["uuid"] == str(newer.uuid)
    # Sending marks my own messages read.
    bobs = as_user(bob).get(ROOMS).json()["results"]
    assert {r["name"]: r["unread_count"] for r in bobs} == {"not mine": 0, "older": 0}


def _room_list_queries(client: APIClient) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(ROOMS)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_room_list_query_count_does_not_grow_with_rooms(
    as_user: AsUser, alice: User, make_user: Callable[..., User]
) -> None:
    def add_rooms(count: int) -> None:
        for _ in range(count):
            others = [make_user(), make_user()]
            room = make_room(alice, *others)
            _send(room, others[0], "hello")

    client = as_user(alice)
    add_rooms(3)
    # 1. the user of the access token, 2. the rooms with last message and sender,
    # 3. the members of those rooms with their users and profile images.
    assert _room_list_queries(client) == 3
    add_rooms(12)
    assert len(client.get(ROOMS).json()["results"]) == 15
    assert _room_list_queries(client) == 3


def test_room_list_pages_with_a_cursor(as_user: AsUser, alice: User, bob: User) -> None:
    rooms = [make_room(alice, bob, name=f"r{i}") for i in range(5)]
    client = as_user(alice)
    page = client.get(ROOMS, {"page_size": 2}).json()
    seen = [r["name"] for r in page["results"]]
    while page["next"]:
        page = client.get(page["next"]).json()
        seen += [r["name"] for r in page["results"]]
    assert seen == [r.name for r in reversed(rooms)]


def test_room_detail_for_members_only(as_user: AsUser, alice: User, bob: User, carol: User) -> None:
    room = make_room(alice, bob)
    assert as_user(bob).get(f"{ROOMS}{room.uuid}/").json()["uuid"] == str(room.uuid)
    assert as_user(carol).get(f"{ROOMS}{room.uuid}/").status_code == 404
    assert as_user(alice).get(f"{ROOMS}not-a-uuid/").status_code == 404
    assert as_user(alice).get(f"{ROOMS}00000000-0000-0000-0000-000000000000/").status_code == 404


# --- invite and leave ---


def test_a_member_invites_others(as_user: AsUser, alice: User, bob: User, carol: User) -> None:
    room = make_room(alice, bob)
    _send(room, alice, "before carol")
    response = as_user(bob).post(f"{ROOMS}{room.uuid}/members/", {"members": ["carol", "alice"]})
    assert response.status_code == 200
    assert sorted(m["handle"] for m in response.json()["members"]) == ["alice", "bob", "carol"]
    carols = as_user(carol).get(ROOMS).json()["results"]
    assert [r["uuid"] for r in carols] == [str(room.uuid)]
    assert carols[0]["unread_count"] == 0  # newcomers start with the history marked read
    assert Membership.objects.filter(room=room).count() == 3


def test_a_non_member_cannot_invite(as_user: AsUser, alice: User, bob: User, carol: User) -> None:
    room = make_room(alice, bob)
    response = as_user(carol).post(f"{ROOMS}{room.uuid}/members/", {"members": ["carol"]})
    assert response.status_code == 404
    assert not Membership.objects.filter(room=room, user=carol).exists()


def test_invite_refuses_a_user_blocked_by_a_member(
    as_user: AsUser, alice: User, bob: User, carol: User
) -> None:
    room = make_room(alice, bob)
    Block.objects.create(blocker=bob, blocked=carol)
    response = as_user(alice).post(f"{ROOMS}{room.uuid}/members/", {"members": ["carol"]})
    assert response.status_code == 400
    assert not Membership.objects.filter(room=room, user=carol).exists()


def test_invite_refuses_unknown_handles_and_bad_bodies(
    as_user: AsUser, alice: User, bob: User
) -> None:
    room = make_room(alice, bob)
    client = as_user(alice)
    assert client.post(f"{ROOMS}{room.uuid}/members/", {"members": ["ghost"]}).status_code == 400
    assert client.post(f"{ROOMS}{room.uuid}/members/", {"members": []}).status_code == 400
    assert client.post(f"{ROOMS}{room.uuid}/members/", {}).status_code == 400


def test_room_size_is_capped(
    as_user: AsUser, alice: User, make_user: Callable[..., User], settings: Any
) -> None:
    settings.CHAT_ROOM_MAX_MEMBERS = 3
    users = [make_user() for _ in range(3)]
    response = as_user(alice).post(ROOMS, {"members": [u.handle for u in users]})
    assert response.status_code == 400
    room = make_room(alice, users[0], users[1])
    invite = as_user(alice).post(f"{ROOMS}{room.uuid}/members/", {"members": [users[2].handle]})
    assert invite.status_code == 400


def test_leaving_hides_the_room_and_its_history(
    as_user: AsUser, alice: User, bob: User, carol: User
) -> None:
    room = make_room(alice, bob, carol)
    response = as_user(bob).post(f"{ROOMS}{room.uuid}/leave/")
    assert response.status_code == 204
    assert as_user(bob).get(ROOMS).json()["results"] == []
    assert as_user(bob).get(f"{ROOMS}{room.uuid}/messages/").status_code == 404
    assert as_user(bob).post(f"{ROOMS}{room.uuid}/leave/").status_code == 404
    members = as_user(alice).get(f"{ROOMS}{room.uuid}/").json()["members"]
    assert sorted(m["handle"] for m in members) == ["alice", "carol"]


def test_the_last_member_leaving_closes_the_room(as_user: AsUser, alice: User, bob: User) -> None:
    room = make_room(alice, bob)
    _send(room, alice, "kept for moderation")
    assert as_user(alice).post(f"{ROOMS}{room.uuid}/leave/").status_code == 204
    room.refresh_from_db()
    assert room.closed_at is None
    assert as_user(bob).post(f"{ROOMS}{room.uuid}/leave/").status_code == 204
    room.refresh_from_db()
    assert room.closed_at is not None
    assert Message.objects.filter(room=room).count() == 1
    # Nobody can bring a closed room back.
    assert (
        as_user(bob).post(f"{ROOMS}{room.uuid}/members/", {"members": ["bob"]}).status_code == 404
    )


# --- history ---


def test_history_newest_first_with_cursor_pages(as_user: AsUser, alice: User, bob: User) -> None:
    room = make_room(alice, bob)
    for number in range(7):
        _send(room, alice if number % 2 else bob, f"m{number}")
    client = as_user(alice)
    page = client.get(f"{ROOMS}{room.uuid}/messages/", {"page_size": 3}).json()
    assert set(page) >= {"next", "previous", "results"}
    seqs = [m["seq"] for m in page["results"]]
    while page["next"]:
        page = client.get(page["next"]).json()
        seqs += [m["seq"] for m in page["results"]]
    assert seqs == [7, 6, 5, 4, 3, 2, 1]
    first = client.get(f"{ROOMS}{room.uuid}/messages/").json()["results"][0]
    assert set(first) >= {"uuid", "room", "sender", "text", "seq", "client_id", "created_at"}
    assert first["text"] == "m6"


def test_after_seq_catches_up_oldest_first(as_user: AsUser, alice: User, bob: User) -> None:
    room = make_room(alice, bob)
    for number in range(6):
        _send(room, bob, f"m{number}")
    client = as_user(alice)
    page = client.get(f"{ROOMS}{room.uuid}/messages/", {"after_seq": 2, "page_size": 2}).json()
    seqs = [m["seq"] for m in page["results"]]
    while page["next"]:
        page = client.get(page["next"]).json()
        seqs += [m["seq"] for m in page["results"]]
    assert seqs == [3, 4, 5, 6]
    done = client.get(f"{ROOMS}{room.uuid}/messages/", {"after_seq": 6}).json()
    assert done["results"] == []


@pytest.mark.parametrize("value", ["-1", "abc", "1.5"])
def test_after_seq_must_be_a_non_negative_integer(
    as_user: AsUser, alice: User, bob: User, value: str
) -> None:
    room = make_room(alice, bob)
    response = as_user(alice).get(f"{ROOMS}{room.uuid}/messages/", {"after_seq": value})
    assert response.status_code == 400
    assert "after_seq" in response.json()["fields"]


def test_a_non_member_cannot_read_history(
    as_user: AsUser, alice: User, bob: User, carol: User, mod: User
) -> None:
    room = make_room(alice, bob)
    _send(room, alice, "secret")
    assert as_user(carol).get(f"{ROOMS}{room.uuid}/messages/").status_code == 404
    assert as_user(mod).get(f"{ROOMS}{room.uuid}/messages/").status_code == 404
    assert as_user(carol).get(f"{ROOMS}bad/messages/").status_code == 404


def test_hidden_messages_show_a_placeholder_except_to_staff(
    as_user: AsUser, alice: User, bob: User, mod: User
) -> None:
    room = make_room(alice, bob, mod)
    message = _send(room, bob, "rude words")
    Message.objects.filter(pk=message.pk).update(hidden_at=timezone.now())
    seen = as_user(alice).get(f"{ROOMS}{room.uuid}/messages/").json()["results"][0]
    assert seen["text"] == HIDDEN_MESSAGE_TEXT
    assert seen["hidden"] is True
    assert as_user(alice).get(ROOMS).json()["results"][0]["last_message"]["text"] == (
        HIDDEN_MESSAGE_TEXT
    )
    staff_view = as_user(mod).get(f"{ROOMS}{room.uuid}/messages/").json()["results"][0]
    assert staff_view["text"] == "rude words"


def _history_queries(client: APIClient, room: Room) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(f"{ROOMS}{room.uuid}/messages/")
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_history_query_count_does_not_grow_with_messages(
    as_user: AsUser, alice: User, bob: User, carol: User
) -> None:
    room = make_room(alice, bob, carol)
    for number in range(4):
        _send(room, [alice, bob, carol][number % 3], f"a{number}")
    client = as_user(alice)
    # 1. the user of the access token, 2. the room (membership check, last message),
    # 3. the room's members (prefetch), 4. the page of messages with their senders.
    assert _history_queries(client, room) == 4
    for number in range(20):
        _send(room, [alice, bob, carol][number % 3], f"b{number}")
    assert _history_queries(client, room) == 4


# --- read state ---


def test_mark_read_over_http(as_user: AsUser, alice: User, bob: User, carol: User) -> None:
    room = make_room(alice, bob)
    for number in range(4):
        _send(room, alice, f"m{number}")
    client = as_user(bob)
    assert client.get(f"{ROOMS}{room.uuid}/").json()["unread_count"] == 4

    response = client.post(f"{ROOMS}{room.uuid}/read/", {"seq": 3})
    assert response.json() == {"room": str(room.uuid), "last_read_seq": 3}
    assert client.get(f"{ROOMS}{room.uuid}/").json()["unread_count"] == 1
    # Never backwards, never past the newest message.
    assert client.post(f"{ROOMS}{room.uuid}/read/", {"seq": 1}).json()["last_read_seq"] == 3
    assert client.post(f"{ROOMS}{room.uuid}/read/", {"seq": 99}).json()["last_read_seq"] == 4
    assert client.get(f"{ROOMS}{room.uuid}/").json()["unread_count"] == 0
    assert client.post(f"{ROOMS}{room.uuid}/read/", {"seq": -1}).status_code == 400
    assert as_user(carol).post(f"{ROOMS}{room.uuid}/read/", {}).status_code == 404
    detail = client.get(f"{ROOMS}{room.uuid}/").json()
    members = {m["handle"]: m["last_read_seq"] for m in detail["members"]}
    assert members == {"alice": 4, "bob": 4}


# --- tickets ---


def test_ws_ticket_is_short_lived_and_unique(as_user: AsUser, alice: User) -> None:
    client = as_user(alice)
    first = client.post("/api/chats/ws-ticket/").json()
    second = client.post("/api/chats/ws-ticket/").json()
    assert first["expires_in"] == 30
    assert len(first["ticket"]) >= 32
    assert first["ticket"] != second["ticket"]


def test_ws_ticket_is_consumed_once(alice: User) -> None:
    from tangerine.chats.tickets import ws_ticket_consume, ws_ticket_issue

    ticket, _ = ws_ticket_issue(user=alice)
    assert ws_ticket_consume(ticket=ticket) == alice
    assert ws_ticket_consume(ticket=ticket) is None
    assert ws_ticket_consume(ticket=None) is None


def test_message_send_service_is_idempotent_and_sequences(alice: User, bob: User) -> None:
    room = make_room(alice, bob)
    one = services.message_send(sender=alice, room_uuid=room.uuid, text="a", client_id="1")
    again = services.message_send(sender=alice, room_uuid=room.uuid, text="b", client_id="1")
    two = services.message_send(sender=bob, room_uuid=room.uuid, text="c", client_id="1")
    assert (one.created, again.created, two.created) == (True, False, True)
    assert again.message.pk == one.message.pk
    assert [one.message.seq, two.message.seq] == [1, 2]
    room.refresh_from_db()
    assert room.next_seq == 3
    assert room.last_message_id == two.message.pk
