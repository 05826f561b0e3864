"""Channel-layer groups and events of the chat.

Groups: every socket joins its user's group (``core.realtime.user_group``) and the group of
each room its user is in (``chat.room.<uuid>``), so a message to a room of 50 is one
``group_send``. Membership changes are sent to the affected user's group as control events; the
user's open sockets then join or leave the room group without reconnecting.

Event ``type`` values map to consumer handler methods (``chat.message`` → ``chat_message``).
"""

from __future__ import annotations

from typing import Any

from tangerine.core.realtime import publish_on_commit, user_group


def room_group(room_uuid: object) -> str:
    """The channel-layer group of every socket whose user is in the room."""
    return f"chat.room.{room_uuid}"


def message_event(*, room_uuid: str, message: dict[str, Any]) -> dict[str, Any]:
    return {"type": "chat.message", "room": room_uuid, "message": message}


def publish_room_joined(*, user_uuid: object, room_uuid: object) -> None:
    publish_on_commit(
        group=user_group(user_uuid), event={"type": "chat.room.joined", "room": str(room_uuid)}
    )


def publish_room_left(*, user_uuid: object, room_uuid: object) -> None:
    publish_on_commit(
        group=user_group(user_uuid), event={"type": "chat.room.left", "room": str(room_uuid)}
    )


def publish_members_changed(
    *, room_uuid: object, joined: list[str] | None = None, left: list[str] | None = None
) -> None:
    publish_on_commit(
        group=room_group(room_uuid),
        event={
            "type": "chat.room.members",
            "room": str(room_uuid),
            "joined": joined or [],
            "left": left or [],
        },
    )


def publish_read(*, user_uuid: object, room_uuid: object, seq: int) -> None:
    publish_on_commit(
        group=user_group(user_uuid),
        event={"type": "chat.room.read", "room": str(room_uuid), "seq": seq},
    )
