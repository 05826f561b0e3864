"""REST: read receipts (``unread_count`` per message), deleting my message for everyone, photo
messages."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from tangerine.accounts.models import Block, User
from tangerine.chats import services
from tangerine.chats.models import DELETED_MESSAGE_TEXT, Message, Room
from tangerine.images.models import Image
from tests.factories import make_room

pytestmark = pytest.mark.django_db

ROOMS = "/api/chats/rooms/"
AsUser = Callable[[User], APIClient]


def _send(
    room: Room, sender: User, text: str, client_id: str | None = None, **kw: object
) -> Message:
    return services.message_send(
        sender=sender, room_uuid=room.uuid, text=text, client_id=client_id or text, **kw
    ).message


def _history(client: APIClient, room: Room) -> list[dict[str, Any]]:
    response = client.get(f"{ROOMS}{room.uuid}/messages/")
    assert response.status_code == 200, response.json()
    return list(response.json()["results"])


def _image(owner: User, status: str = Image.Status.READY) -> Image:
    return Image.objects.create(
        owner=owner,
        content_type="image/jpeg",
        size=10,
        key=f"k/{owner.handle}/{Image.objects.count()}",
        status=status,
        width=1600,
        height=1200,
        variants=[
            {"key": "v/a-400.webp", "width": 400, "height": 300, "format": "webp"},
            {"key": "v/a-1600.webp", "width": 1600, "height": 1200, "format": "webp"},
        ],
    )


# --- read receipts ---


def test_each_message_counts_the_members_who_have_not_read_it(
    as_user: AsUser, alice: User, bob: User, carol: User
) -> None:
    room = make_room(alice, bob, carol)
    for text in ("one", "two", "three"):
        _send(room, alice, text)
    counts = {m["text"]: m["unread_count"] for m in _history(as_user(alice), room)}
    assert counts == {"one": 2, "two": 2, "three": 2}

    services.membership_mark_read(user=bob, room_uuid=room.uuid, seq=2)
    counts = {m["text"]: m["unread_count"] for m in _history(as_user(carol), room)}
    assert counts == {"one": 1, "two": 1, "three": 2}

    services.membership_mark_read(user=carol, room_uuid=room.uuid)
    counts = {m["text"]: m["unread_count"] for m in _history(as_user(alice), room)}
    assert counts == {"one": 0, "two": 0, "three": 1}


def test_replying_reads_what_came_before(as_user: AsUser, alice: User, bob: User) -> None:
    room = make_room(alice, bob)
    _send(room, alice, "hi")
    _send(room, bob, "hello")  # sending marks bob's read up to his own message
    counts = {m["text"]: m["unread_count"] for m in _history(as_user(alice), room)}
    assert counts == {"hi": 0, "hello": 1}


def test_the_room_list_last_message_carries_its_unread_count(
    as_user: AsUser, alice: User, bob: User
) -> None:
    room = make_room(alice, bob)
    _send(room, alice, "hi")
    assert as_user(alice).get(ROOMS).json()["results"][0]["last_message"]["unread_count"] == 1
    services.membership_mark_read(user=bob, room_uuid=room.uuid)
    assert as_user(alice).get(ROOMS).json()["results"][0]["last_message"]["unread_count"] == 0


def test_history_with_unread_counts_costs_constant_queries(
    as_user: AsUser, alice: User, bob: User, carol: User
) -> None:
    room = make_room(alice, bob, carol)
    client = as_user(alice)

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            _history(client, room)
        return len(ctx.captured_queries)

    for n in range(5):
        _send(room, bob if n % 2 else alice, f"m{n}")
    # 1. token user, 2. the room with its last message, 3. its members (read marks),
    # 4. the page of messages with sender and image.
    assert queries() == 4
    for n in range(25):
        _send(room, carol, f"more{n}")
    assert queries() == 4


# --- delete for everyone ---


def _delete(client: APIClient, room: Room | str, message: Message | str) -> Any:
    room_uuid = room.uuid if isinstance(room, Room) else room
    message_uuid = message.uuid if isinstance(message, Message) else message
    return client.delete(f"{ROOMS}{room_uuid}/messages/{message_uuid}/")


def test_i_delete_my_message_for_everyone(
    as_user: AsUser, alice: User, bob: User, mod: User
) -> None:
    room = make_room(alice, bob)
    message = _send(room, alice, "wrong account number")
    response = _delete(as_user(alice), room, message)
    assert response.status_code == 204
    message.refresh_from_db()
    assert message.deleted_at is not None
    assert message.text == "wrong account number"  # kept for moderation
    for viewer in (alice, bob):
        [shown] = _history(as_user(viewer), room)
        assert shown["deleted"] is True
        assert shown["text"] == DELETED_MESSAGE_TEXT
        assert shown["image"] is None
    last = as_user(bob).get(ROOMS).json()["results"][0]["last_message"]
    assert last["deleted"] is True
    assert last["text"] == DELETED_MESSAGE_TEXT
    # Deleting twice is harmless.
    assert _delete(as_user(alice), room, message).status_code == 204


def test_staff_still_see_a_deleted_messages_text(alice: User, bob: User, mod: User) -> None:
    from tangerine.chats.serializers import MessageSerializer

    room = make_room(alice, bob)
    message = _send(room, alice, "evidence")
    services.message_delete(user=alice, room_uuid=room.uuid, message_uuid=message.uuid)
    message.refresh_from_db()
    assert MessageSerializer(message, context={"viewer": mod}).data["text"] == "evidence"
    assert MessageSerializer(message, context={"viewer": bob}).data["text"] == DELETED_MESSAGE_TEXT


def test_deleting_someone_elses_message_is_a_403(as_user: AsUser, alice: User, bob: User) -> None:
    room = make_room(alice, bob)
    message = _send(room, alice, "mine")
    response = _delete(as_user(bob), room, message)
    assert response.status_code == 403
    assert response.json()["code"] == "not_your_message"
    message.refresh_from_db()
    assert message.deleted_at is None


def test_deleting_after_ten_minutes_is_a_409(as_user: AsUser, alice: User, bob: User) -> None:
    room = make_room(alice, bob)
    message = _send(room, alice, "old")
    Message.objects.filter(pk=message.pk).update(created_at=timezone.now() - timedelta(minutes=11))
    response = _delete(as_user(alice), room, message)
    assert response.status_code == 409
    assert response.json()["code"] == "delete_window_passed"
    message.refresh_from_db()
    assert message.deleted_at is None


def test_deleting_within_ten_minutes_works(as_user: AsUser, alice: User, bob: User) -> None:
    room = make_room(alice, bob)
    message = _send(room, alice, "recent")
    Message.objects.filter(pk=message.pk).update(created_at=timezone.now() - timedelta(minutes=9))
    assert _delete(as_user(alice), room, message).status_code == 204


def test_deleting_missing_messages_or_in_others_rooms_is_a_404(
    as_user: AsUser, alice: User, bob: User, carol: User, anon: APIClient
) -> None:
    room = make_room(alice, bob)
    other_room = make_room(alice, carol)
    message = _send(room, alice, "hi")
    elsewhere = _send(other_room, alice, "there")
    client = as_user(alice)
    assert _delete(client, room, "00000000-0000-0000-0000-000000000000").status_code == 404
    assert _delete(client, room, "nope").status_code == 404
    assert _delete(client, "nope", message).status_code == 404
    assert _delete(client, room, elsewhere).status_code == 404
    # carol is not in the room: she learns nothing, not even that the message is not hers.
    assert _delete(as_user(carol), room, message).status_code == 404
    assert _delete(anon, room, message).status_code == 401


def test_a_deleted_message_can_still_be_reported(as_user: AsUser, alice: User, bob: User) -> None:
    room = make_room(alice, bob)
    message = _send(room, alice, "scam link")
    services.message_delete(user=alice, room_uuid=room.uuid, message_uuid=message.uuid)
    response = as_user(bob).post(
        "/api/reports/",
        {"target_type": "chat_message", "target": str(message.uuid), "reason": "scam"},
        format="json",
    )
    assert response.status_code == 201, response.json()


# --- photos ---


def test_a_photo_message_shows_the_image_variants(as_user: AsUser, alice: User, bob: User) -> None:
    room = make_room(alice, bob)
    image = _image(alice)
    _send(room, alice, "", client_id="p1", image=image.uuid)
    [shown] = _history(as_user(bob), room)
    assert shown["text"] == ""
    assert shown["image"]["uuid"] == str(image.uuid)
    assert [v["width"] for v in shown["image"]["variants"]] == [400, 1600]


def test_a_photo_can_have_a_caption(as_user: AsUser, alice: User, bob: User) -> None:
    room = make_room(alice, bob)
    _send(room, alice, "  상태 좋아요  ", client_id="p1", image=_image(alice).uuid)
    [shown] = _history(as_user(bob), room)
    assert shown["text"] == "상태 좋아요"


@pytest.mark.parametrize("case", ["someone_elses", "failed", "unknown", "malformed"])
def test_only_my_own_usable_images_can_be_sent(alice: User, bob: User, case: str) -> None:
    room = make_room(alice, bob)
    image: object = {
        "someone_elses": lambda: _image(bob).uuid,
        "failed": lambda: _image(alice, Image.Status.FAILED).uuid,
        "unknown": lambda: "00000000-0000-0000-0000-000000000000",
        "malformed": lambda: "not-a-uuid",
    }[case]()
    with pytest.raises(ValidationError) as error:
        _send(room, alice, "", client_id="p1", image=image)
    assert "image" in error.value.message_dict
    assert not Message.objects.exists()


def test_a_deleted_or_hidden_or_blocked_photo_is_not_shown(
    as_user: AsUser, alice: User, bob: User, carol: User
) -> None:
    room = make_room(alice, bob, carol)
    _send(room, alice, "", client_id="p1", image=_image(alice).uuid)
    Block.objects.create(blocker=carol, blocked=alice)
    [seen_by_carol] = _history(as_user(carol), room)
    assert seen_by_carol["image"] is None
    assert seen_by_carol["hidden"] is True
    message = Message.objects.get()
    Message.objects.filter(pk=message.pk).update(hidden_at=timezone.now())
    [seen_by_bob] = _history(as_user(bob), room)
    assert seen_by_bob["image"] is None


def test_a_photo_message_can_be_reported(as_user: AsUser, alice: User, bob: User) -> None:
    room = make_room(alice, bob)
    message = _send(room, alice, "", client_id="p1", image=_image(alice).uuid)
    response = as_user(bob).post(
        "/api/reports/",
        {"target_type": "chat_message", "target": str(message.uuid), "reason": "scam"},
        format="json",
    )
    assert response.status_code == 201, response.json()


def test_a_chat_photo_is_not_swept_as_an_orphan(alice: User, bob: User) -> None:
    from tangerine.images.services import images_delete_unattached

    room = make_room(alice, bob)
    image = _image(alice)
    _send(room, alice, "", client_id="p1", image=image.uuid)
    assert images_delete_unattached(image_ids=[image.pk]) == 0
    assert Image.objects.filter(pk=image.pk).exists()
