"""Chat messages as reportable targets (``core.moderation``): a member reports a message of a
room they are in; hiding or showing it again tells the room's open sockets."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from tangerine.accounts.auth import Viewer
from tangerine.accounts.moderation import person_evidence
from tangerine.accounts.visibility import filter_visible
from tangerine.chats.models import Message
from tangerine.chats.services import message_moderated
from tangerine.core import moderation


def _visible(viewer: Viewer) -> QuerySet[Message]:
    """Messages of rooms ``viewer`` is a member of, under the shared visibility rules."""
    qs = Message.objects.filter(room__memberships__user=viewer)
    return filter_visible(qs, viewer=viewer, author_field="sender")


def message_set_hidden(pk: int, hidden: bool) -> bool:
    changed = moderation.set_hidden_at(Message, pk, hidden)
    if changed:
        message_moderated(message_id=pk)
    return changed


def _snapshot(message: Message) -> dict[str, Any]:
    return {
        "uuid": str(message.uuid),
        "text": message.text,
        "room": str(message.room.uuid),
        "seq": message.seq,
        "sender": person_evidence(message.sender),
        "created_at": moderation.iso(message.created_at),
        "hidden_at": moderation.iso(message.hidden_at),
    }


def register() -> None:
    related = ("sender", "room")
    moderation.register(
        moderation.ContentKind(
            name="chat_message",
            find_for_viewer=moderation.finder(_visible, related),
            get=moderation.getter(Message, related),
            author=lambda message: message.sender,
            snapshot=_snapshot,
            ref=lambda message: str(message.uuid),
            set_hidden=message_set_hidden,
        )
    )
