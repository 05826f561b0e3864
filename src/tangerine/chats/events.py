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
    *, room_uuid: object, joined: list[Any] | None = None, left: list[Any] | None = None
) -> None:
    """Tell the room who joined or left (users with ``uuid`` and ``handle``).

    ``left_users`` lets a leaver's own sockets drop the room even if this event overtakes the
    one sent to the leaver's group (events to different groups are not ordered).
    """
    publish_on_commit(
        group=room_group(room_uuid),
        event={
            "type": "chat.room.members",
            "room": str(room_uuid),
            "joined": [user.handle for user in joined or []],
            "left": [user.handle for user in left or []],
            "left_users": [str(user.uuid) for user in left or []],
        },
    )


def publish_read(*, user_uuid: object, room_uuid: object, seq: int) -> None:
    publish_on_commit(
        group=user_group(user_uuid),
        event={"type": "chat.room.read", "room": str(room_uuid), "seq": seq},
    )


def publish_message_moderated(*, room_uuid: object, message: dict[str, Any], hidden: bool) -> None:
    """Tell the room that moderation hid (or showed again) a message, so open clients replace it.

    ``message`` is the payload as members see it (the placeholder text while hidden).
    """
    kind = "chat.message.hidden" if hidden else "chat.message.unhidden"
    publish_on_commit(
        group=room_group(room_uuid),
        event={"type": kind, "room": str(room_uuid), "message": message},
    )
