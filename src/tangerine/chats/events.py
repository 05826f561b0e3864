"""Channel-layer groups and events of the chat.

Groups: every socket joins its user's group (``core.realtime.user_group``) and the group of
each room its user is in (``chat.room.<uuid>``), so a message to a room of 50 is one
``group_send``. Membership changes are sent to the affected user's group as control events; the
user's open sockets then join or leave the room group without reconnecting.

Event ``type`` values map to consumer handler methods (``chat.message`` → ``chat_message``).
"""

from __future__ import annotations

from typing import Any, Literal, TypedDict

from tangerine.core.realtime import publish_on_commit, user_group


class MessageEvent(TypedDict):
    """A new message of a room (the payload members see); ``sender`` is the sender's uuid, so
    a socket whose user blocked them can send the placeholder instead."""

    type: Literal["chat.message"]
    room: str
    sender: str
    message: dict[str, Any]


class MessageModeratedEvent(TypedDict):
    """Moderation hid or showed again a message: clients replace it."""

    type: Literal["chat.message.hidden", "chat.message.unhidden"]
    room: str
    sender: str
    message: dict[str, Any]


class BlocksChangedEvent(TypedDict):
    """To a user's group: they blocked or unblocked someone; sockets reload whom they mask."""

    type: Literal["chat.blocks.changed"]


class RoomJoinedEvent(TypedDict):
    """To a user's group: they were added to ``room``; their sockets join its group."""

    type: Literal["chat.room.joined"]
    room: str


class RoomLeftEvent(TypedDict):
    """To a user's group: they left or were removed from ``room``."""

    type: Literal["chat.room.left"]
    room: str


class RoomMembersEvent(TypedDict):
    """To a room: who joined or left (handles); ``left_users`` are uuids."""

    type: Literal["chat.room.members"]
    room: str
    joined: list[str]
    left: list[str]
    left_users: list[str]


class RoomReadEvent(TypedDict):
    """To a user's group: they read ``room`` up to ``seq`` (on another socket, maybe)."""

    type: Literal["chat.room.read"]
    room: str
    seq: int


class MemberReadEvent(TypedDict):
    """To a room: member ``handle`` (uuid ``user``) read it up to ``seq``; clients recompute
    each message's ``unread_count`` from the members' read marks."""

    type: Literal["chat.member.read"]
    room: str
    user: str
    handle: str
    seq: int


class TypingEvent(TypedDict):
    """To a room: ``handle`` (uuid ``user``) is typing. Not stored; throttled per user."""

    type: Literal["chat.typing"]
    room: str
    user: str
    handle: str
    display_name: str


class MessageDeletedEvent(TypedDict):
    """To a room: the sender deleted a message for everyone; clients show the placeholder."""

    type: Literal["chat.message.deleted"]
    room: str
    sender: str
    message: dict[str, Any]


def room_group(room_uuid: object) -> str:
    """The channel-layer group of every socket whose user is in the room."""
    return f"chat.room.{room_uuid}"


def message_event(*, room_uuid: str, sender_uuid: str, message: dict[str, Any]) -> MessageEvent:
    return {"type": "chat.message", "room": room_uuid, "sender": sender_uuid, "message": message}


def publish_room_joined(*, user_uuid: object, room_uuid: object) -> None:
    event: RoomJoinedEvent = {"type": "chat.room.joined", "room": str(room_uuid)}
    publish_on_commit(group=user_group(user_uuid), event=event)


def publish_room_left(*, user_uuid: object, room_uuid: object) -> None:
    event: RoomLeftEvent = {"type": "chat.room.left", "room": str(room_uuid)}
    publish_on_commit(group=user_group(user_uuid), event=event)


def publish_members_changed(
    *, room_uuid: object, joined: list[Any] | None = None, left: list[Any] | None = None
) -> None:
    """Tell the room who joined or left (users with ``uuid`` and ``handle``).

    ``left_users`` lets a leaver's own sockets drop the room even if this event overtakes the
    one sent to the leaver's group (events to different groups are not ordered).
    """
    event: RoomMembersEvent = {
        "type": "chat.room.members",
        "room": str(room_uuid),
        "joined": [user.handle for user in joined or []],
        "left": [user.handle for user in left or []],
        "left_users": [str(user.uuid) for user in left or []],
    }
    publish_on_commit(group=room_group(room_uuid), event=event)


def publish_read(*, user_uuid: object, room_uuid: object, seq: int) -> None:
    event: RoomReadEvent = {"type": "chat.room.read", "room": str(room_uuid), "seq": seq}
    publish_on_commit(group=user_group(user_uuid), event=event)


def publish_member_read(*, room_uuid: object, user: Any, seq: int) -> None:
    event: MemberReadEvent = {
        "type": "chat.member.read",
        "room": str(room_uuid),
        "user": str(user.uuid),
        "handle": user.handle,
        "seq": seq,
    }
    publish_on_commit(group=room_group(room_uuid), event=event)


def typing_event(*, room_uuid: str, user: Any) -> TypingEvent:
    return {
        "type": "chat.typing",
        "room": room_uuid,
        "user": str(user.uuid),
        "handle": user.handle,
        "display_name": user.display_name,
    }


def publish_message_deleted(
    *, room_uuid: object, sender_uuid: object, message: dict[str, Any]
) -> None:
    event: MessageDeletedEvent = {
        "type": "chat.message.deleted",
        "room": str(room_uuid),
        "sender": str(sender_uuid),
        "message": message,
    }
    publish_on_commit(group=room_group(room_uuid), event=event)


def publish_blocks_changed(*, user_uuid: object) -> None:
    event: BlocksChangedEvent = {"type": "chat.blocks.changed"}
    publish_on_commit(group=user_group(user_uuid), event=event)


def publish_message_moderated(
    *, room_uuid: object, sender_uuid: object, message: dict[str, Any], hidden: bool
) -> None:
    """Tell the room that moderation hid (or showed again) a message, so open clients replace it.

    ``message`` is the payload as members see it (the placeholder text while hidden).
    """
    event: MessageModeratedEvent = {
        "type": "chat.message.hidden" if hidden else "chat.message.unhidden",
        "room": str(room_uuid),
        "sender": str(sender_uuid),
        "message": message,
    }
    publish_on_commit(group=room_group(room_uuid), event=event)
