""" "Download my data": my chat rooms and the messages I sent.

Only the user's own messages: the other members' messages are their data, not the user's.
"""

from __future__ import annotations

from typing import Any

from tangerine.core import exports


def export_chats(user: Any) -> dict[str, Any]:
    from tangerine.chats.models import Membership, Message

    memberships = (
        Membership.objects.filter(user=user).select_related("room").order_by("joined_at", "id")
    )
    messages = (
        Message.objects.filter(sender=user)
        .select_related("room")
        .order_by("created_at", "id")
        .iterator(chunk_size=2000)
    )
    return {
        "rooms": [
            {
                "uuid": str(membership.room.uuid),
                "name": membership.room.name,
                "joined_at": membership.joined_at.isoformat(),
                "last_read_seq": membership.last_read_seq,
            }
            for membership in memberships
        ],
        "messages": [
            {
                "uuid": str(message.uuid),
                "room": str(message.room.uuid),
                "seq": message.seq,
                "text": message.text,
                "hidden_by_moderator": message.hidden_at is not None,
                "created_at": message.created_at.isoformat(),
            }
            for message in messages
        ],
    }


def register() -> None:
    exports.register(name="chats", exporter=export_chats)
