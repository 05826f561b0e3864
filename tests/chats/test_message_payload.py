"""The socket frames' message payload (``serializers.message_payload``, built by hand for the
send path's CPU, issue 17) is exactly what ``MessageSerializer`` gives a reader who is not
staff, in every state a frame carries: plain, read marks, photo, hidden, deleted, blocked."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from tangerine.accounts.models import User
from tangerine.chats import services
from tangerine.chats.models import Message
from tangerine.chats.selectors import room_read_marks
from tangerine.chats.serializers import MessageSerializer, message_payload
from tangerine.images.models import Image

pytestmark = pytest.mark.django_db


def _photo(owner: User) -> Image:
    return Image.objects.create(
        owner=owner,
        content_type="image/jpeg",
        size=10,
        key=f"k/{owner.handle}/payload",
        status=Image.Status.READY,
        width=1600,
        height=1200,
        variants=[{"key": "v/p-400.webp", "width": 400, "height": 300, "format": "webp"}],
    )


def _fresh(message: Message) -> Message:
    return Message.objects.select_related("room", "sender", "image").get(pk=message.pk)


def _as_serializer(message: Message, read_marks: list[tuple[int, int]] | None) -> dict[str, Any]:
    return dict(MessageSerializer(message, context={"read_marks": read_marks}).data)


def _hide(message: Message) -> None:
    message.hidden_at = timezone.now()


def _delete(message: Message) -> None:
    message.deleted_at = timezone.now()


def _blocked(message: Message) -> None:
    message.sender_blocked = True  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "change", [None, _hide, _delete, _blocked], ids=["plain", "hidden", "deleted", "blocked"]
)
@pytest.mark.parametrize("photo", [False, True], ids=["text", "photo"])
@pytest.mark.parametrize("marks", [False, True], ids=["no-marks", "marks"])
def test_payload_equals_the_serializer(
    alice: User,
    bob: User,
    carol: User,
    change: Callable[[Message], None] | None,
    photo: bool,
    marks: bool,
) -> None:
    room = services.room_create(creator=alice, handles=[bob.handle, carol.handle])
    services.membership_mark_read(user=bob, room_uuid=room.uuid)
    image = _photo(alice).uuid if photo else None
    sent = services.message_send(
        sender=alice, room_uuid=room.uuid, text="사진 봐 look", client_id="c-1", image=image
    ).message
    read_marks = room_read_marks(room_id=room.pk) if marks else None
    for message in (sent, _fresh(sent)):  # as the send hands it over, and as read back
        if change is not None:
            change(message)
        payload = message_payload(message, read_marks=read_marks)
        assert payload == _as_serializer(message, read_marks)
    assert payload["unread_count"] == (2 if marks else 0)
    assert (payload["image"] is not None) == (photo and change is None)
