"""The data export includes my chat rooms, the messages I sent, and my events (views)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from rest_framework.test import APIClient

from tangerine.accounts.models import User
from tangerine.chats import services as chats
from tests.factories import make_post

pytestmark = pytest.mark.django_db


def test_the_export_has_my_messages_and_rooms_but_not_other_peoples_messages(
    as_user: Callable[[User], APIClient], alice: User, bob: User
) -> None:
    room = chats.room_create(creator=alice, handles=["bob"], name="감귤 거래")
    chats.message_send(sender=alice, room_uuid=room.uuid, text="안녕하세요 hello", client_id="a1")
    chats.message_send(sender=bob, room_uuid=room.uuid, text="bob's own words", client_id="b1")
    chats.message_send(sender=alice, room_uuid=room.uuid, text="second", client_id="a2")

    response = as_user(alice).get("/api/accounts/export/")
    assert response.status_code == 200
    data = response.json()["chats"]
    assert [r["uuid"] for r in data["rooms"]] == [str(room.uuid)]
    assert data["rooms"][0]["name"] == "감귤 거래"
    assert [(m["room"], m["seq"], m["text"]) for m in data["messages"]] == [
        (str(room.uuid), 1, "안녕하세요 hello"),
        (str(room.uuid), 3, "second"),
    ]
    assert "bob's own words" not in response.content.decode()


def test_the_export_has_my_events_with_public_ids(
    as_user: Callable[[User], APIClient], alice: User, bob: User
) -> None:
    post = make_post(bob, index=False)
    client = as_user(alice)
    sent = client.post("/api/events/", {"target": str(post.uuid), "kind": "post", "dwell_ms": 4200})
    assert sent.status_code in {200, 201, 202, 204}, sent.content
    as_user(bob).post("/api/events/", {"target": str(post.uuid), "kind": "post"})

    events = client.get("/api/accounts/export/").json()["events"]
    assert len(events) == 1
    assert events[0]["kind"] == "post"
    assert events[0]["target"] == str(post.uuid)
    assert events[0]["dwell_ms"] == 4200
    assert events[0]["created_at"]
