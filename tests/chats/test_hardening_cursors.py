"""Crafted pagination cursors on chat lists are a 400 with a field message, never a 500."""

from __future__ import annotations

import base64
from collections.abc import Callable

import pytest
from rest_framework.test import APIClient

from tangerine.accounts.models import User
from tangerine.chats import services
from tangerine.chats.models import Room

pytestmark = pytest.mark.django_db

ROOMS = "/api/chats/rooms/"
AsUser = Callable[[User], APIClient]


def make_room(creator: User, *others: User) -> Room:
    return services.room_create(creator=creator, handles=[u.handle for u in others], name="")


def _cursor(query: str) -> str:
    return base64.b64encode(query.encode()).decode()


BAD_SEQ_POSITIONS = ["p=abc", "p=1e5", "p=-3", "p=" + "9" * 25, "r=1&p=x", "p=1.5"]


@pytest.mark.parametrize("query", BAD_SEQ_POSITIONS)
@pytest.mark.parametrize("extra", [{}, {"after_seq": "0"}])
def test_a_message_cursor_that_is_not_a_seq_is_a_400(
    as_user: AsUser, alice: User, bob: User, query: str, extra: dict[str, str]
) -> None:
    room = make_room(alice, bob)
    services.message_send(sender=alice, room_uuid=room.uuid, text="hi", client_id="c1")
    response = as_user(alice).get(
        f"{ROOMS}{room.uuid}/messages/", {"cursor": _cursor(query), **extra}
    )
    assert response.status_code == 400, response.content
    assert "cursor" in response.json()["fields"]


def test_real_message_cursors_still_page(as_user: AsUser, alice: User, bob: User) -> None:
    room = make_room(alice, bob)
    for i in range(5):
        services.message_send(sender=alice, room_uuid=room.uuid, text=f"m{i}", client_id=f"c{i}")
    client = as_user(alice)
    page = client.get(f"{ROOMS}{room.uuid}/messages/", {"page_size": 2}).json()
    texts = [m["text"] for m in page["results"]]
    while page["next"]:
        page = client.get(page["next"]).json()
        texts += [m["text"] for m in page["results"]]
    assert texts == ["m4", "m3", "m2", "m1", "m0"]


@pytest.mark.parametrize("query", ["p=not-a-date", "p=2026-13-45T99:00:00", "p=" + "9" * 40])
def test_a_room_list_cursor_that_is_not_a_time_is_a_400(
    as_user: AsUser, alice: User, bob: User, query: str
) -> None:
    make_room(alice, bob)
    response = as_user(alice).get(ROOMS, {"cursor": _cursor(query)})
    assert response.status_code == 400, response.content
    assert "cursor" in response.json()["fields"]
