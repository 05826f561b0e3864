"""Writes for chats: rooms, membership, messages and read state.

Realtime effects are published after the commit (``events.publish_*``); the database is the
source of truth and the channel layer only rings the bell.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.db.models.functions import Greatest, Lower
from django.http import Http404
from django.utils import timezone

from tangerine.accounts.models import Block, User
from tangerine.accounts.selectors import user_qs_for_viewer
from tangerine.chats import events
from tangerine.chats.models import (
    CLIENT_ID_MAX_LENGTH,
    MESSAGE_TEXT_MAX_LENGTH,
    ROOM_NAME_MAX_LENGTH,
    Membership,
    Message,
    Room,
)
from tangerine.chats.selectors import parse_uuid

MAX_HANDLES_PER_REQUEST = 50


def _users_for_handles(*, viewer: User, handles: Iterable[str], field: str) -> list[User]:
    """Visible users for ``handles`` (any case), or a 400 naming the unknown ones."""
    wanted = {handle.strip().lower() for handle in handles if handle.strip()}
    if len(wanted) > MAX_HANDLES_PER_REQUEST:
        raise ValidationError({field: [f"At most {MAX_HANDLES_PER_REQUEST} handles at once."]})
    users: list[User] = list(
        user_qs_for_viewer(viewer=viewer)
        .annotate(handle_lower=Lower("handle"))
        .filter(handle_lower__in=wanted)
    )
    missing = wanted - {user.handle.lower() for user in users}
    if missing:
        raise ValidationError({field: [f"No such user: {', '.join(sorted(missing))}."]})
    return users


def _check_no_blocks(*, newcomers: list[User], others: list[User], field: str) -> None:
    """Refuse if a block (either direction) stands between a newcomer and anyone in the room.

    The message does not say who blocked whom.
    """
    new_ids = {user.pk for user in newcomers}
    all_ids = new_ids | {user.pk for user in others}
    blocked = Block.objects.between_any(new_ids, all_ids).exists()
    if blocked:
        raise ValidationError({field: ["One or more of these users cannot be added to this chat."]})


def _check_room_size(*, count: int, field: str) -> None:
    if count > settings.CHAT_ROOM_MAX_MEMBERS:
        raise ValidationError(
            {field: [f"A chat has at most {settings.CHAT_ROOM_MAX_MEMBERS} members."]}
        )


@transaction.atomic
def room_create(*, creator: User, handles: list[str], name: str = "") -> Room:
    """A new room with ``creator`` and the users named by ``handles`` (at least one other).

    Blocked pairs cannot share a room. Every member's open sockets join the room at once.
    """
    name = name.strip()
    if len(name) > ROOM_NAME_MAX_LENGTH:
        raise ValidationError({"name": [f"At most {ROOM_NAME_MAX_LENGTH} characters."]})
    others = [
        user
        for user in _users_for_handles(viewer=creator, handles=handles, field="members")
        if user.pk != creator.pk
    ]
    if not others:
        raise ValidationError({"members": ["Name at least one other user."]})
    _check_room_size(count=len(others) + 1, field="members")
    _check_no_blocks(newcomers=others, others=[creator], field="members")
    room = Room.objects.create(name=name, created_by=creator)
    Membership.objects.bulk_create(
        [Membership(room=room, user=user) for user in [creator, *others]]
    )
    for user in [creator, *others]:
        events.publish_room_joined(user_uuid=user.uuid, room_uuid=room.uuid)
    return room


def _room_lock_for_member(*, user: User, room_uuid: object) -> Room:
    """Lock the open room row if ``user`` is a member, else 404. Call inside a transaction."""
    room = (
        Room.objects.select_for_update(of=("self",))
        .filter(uuid=parse_uuid(room_uuid), closed_at__isnull=True, memberships__user=user)
        .first()
    )
    if room is None:
        raise Http404
    return room


@transaction.atomic
def room_invite(*, inviter: User, room_uuid: object, handles: list[str]) -> list[User]:
    """Add the users named by ``handles`` to the room (``inviter`` must be a member).

    Users already in the room are skipped; the newly added ones are returned. Newcomers start
    with the current history marked read.
    """
    room = _room_lock_for_member(user=inviter, room_uuid=room_uuid)
    users = _users_for_handles(viewer=inviter, handles=handles, field="members")
    current = list(User.objects.filter(chat_memberships__room=room))
    current_ids = {user.pk for user in current}
    newcomers = [user for user in users if user.pk not in current_ids]
    if not newcomers:
        return []
    _check_room_size(count=len(current) + len(newcomers), field="members")
    _check_no_blocks(newcomers=newcomers, others=current, field="members")
    Membership.objects.bulk_create(
        [Membership(room=room, user=user, last_read_seq=room.last_seq) for user in newcomers]
    )
    Room.objects.filter(pk=room.pk).update(updated_at=timezone.now())
    for user in newcomers:
        events.publish_room_joined(user_uuid=user.uuid, room_uuid=room.uuid)
    events.publish_members_changed(room_uuid=room.uuid, joined=newcomers)
    return newcomers


@transaction.atomic
def room_leave(*, user: User, room_uuid: object) -> None:
    """``user`` leaves the room; their sockets stop receiving it at once.

    When the last member leaves, the room is closed (kept for moderation, shown to nobody).
    """
    room = _room_lock_for_member(user=user, room_uuid=room_uuid)
    Membership.objects.filter(room=room, user=user).delete()
    events.publish_room_left(user_uuid=user.uuid, room_uuid=room.uuid)
    if not Membership.objects.filter(room=room).exists():
        Room.objects.filter(pk=room.pk).update(closed_at=timezone.now())
    else:
        events.publish_members_changed(room_uuid=room.uuid, left=[user])


class SenderBlockedError(Exception):
    """A block (either direction) stands between the two members of a one-to-one room."""


def _blocked_in_room(*, user: User, room: Room) -> bool:
    """True when ``room`` is one-to-one and a block stands between its two members.

    In a group room a block does not silence anyone: one member's block would otherwise stop
    the sender talking to everyone. There the blocker just sees the blocked member's messages
    as placeholders (``MessageSerializer``, and the socket consumer for live frames).
    """
    members = list(Membership.objects.filter(room=room).values_list("user_id", flat=True)[:3])
    if len(members) > 2:
        return False
    return Block.objects.between_any([user.pk], members).exists()


@dataclass(frozen=True)
class SendResult:
    message: Message
    created: bool


def message_send(*, sender: User, room_uuid: object, text: str, client_id: str) -> SendResult:
    """Store a message from ``sender`` (a member, else 404) with the room's next sequence number.

    Idempotent per ``(room, sender, client_id)``: a resend returns the stored message with
    ``created=False``. ``SenderBlockedError`` if a block stands between the sender and a member.
    Sending marks the room read up to the new message for the sender.
    The caller fans the message out after this returns (the transaction is committed).
    """
    if not isinstance(text, str) or not text.strip():
        raise ValidationError({"text": ["A message needs some text."]})
    if len(text) > MESSAGE_TEXT_MAX_LENGTH:
        raise ValidationError({"text": [f"At most {MESSAGE_TEXT_MAX_LENGTH} characters."]})
    if not isinstance(client_id, str) or not 1 <= len(client_id) <= CLIENT_ID_MAX_LENGTH:
        raise ValidationError({"client_id": [f"1 to {CLIENT_ID_MAX_LENGTH} characters."]})
    # PostgreSQL text cannot hold NUL: refuse it here, not as a database error mid-socket.
    for field, value in (("text", text), ("client_id", client_id)):
        if "\x00" in value:
            raise ValidationError({field: ["Null characters are not allowed."]})
    with transaction.atomic():
        # The row lock serialises senders of one room: sequence numbers and the idempotency
        # check below cannot race.
        room = _room_lock_for_member(user=sender, room_uuid=room_uuid)
        existing = Message.objects.filter(room=room, sender=sender, client_id=client_id).first()
        if existing is not None:
            existing.room = room
            existing.sender = sender
            return SendResult(message=existing, created=False)
        # Blocked pairs cannot share a new room; a one-to-one room made before the block stays,
        # but neither side can reach the other through it.
        if _blocked_in_room(user=sender, room=room):
            raise SenderBlockedError
        message = Message.objects.create(
            room=room, sender=sender, text=text, seq=room.next_seq, client_id=client_id
        )
        Room.objects.filter(pk=room.pk).update(
            next_seq=F("next_seq") + 1, last_message=message, updated_at=message.created_at
        )
        Membership.objects.filter(room=room, user=sender).update(
            last_read_seq=Greatest(F("last_read_seq"), message.seq)
        )
    return SendResult(message=message, created=True)


@transaction.atomic
def membership_mark_read(*, user: User, room_uuid: object, seq: int | None = None) -> int:
    """Move ``user``'s read mark in the room forward to ``seq`` (default: the newest message).

    The mark never moves back and never passes the newest message. Returns the new mark; the
    user's other sockets are told.
    """
    room = _room_lock_for_member(user=user, room_uuid=room_uuid)
    target = room.last_seq if seq is None else max(0, min(int(seq), room.last_seq))
    Membership.objects.filter(room=room, user=user).update(
        last_read_seq=Greatest(F("last_read_seq"), target)
    )
    mark = Membership.objects.values_list("last_read_seq", flat=True).get(room=room, user=user)
    events.publish_read(user_uuid=user.uuid, room_uuid=room.uuid, seq=mark)
    return mark


def message_moderated(*, message_id: int) -> None:
    """Moderation hid or unhid the message: the room's open sockets get its new face.

    Call inside the moderation transaction; the event leaves after the commit.
    """
    from tangerine.chats.serializers import message_payload

    message = Message.objects.select_related("room", "sender").filter(pk=message_id).first()
    if message is None:
        return
    events.publish_message_moderated(
        room_uuid=message.room.uuid,
        sender_uuid=message.sender.uuid if message.sender else "",
        message=message_payload(message),
        hidden=message.hidden_at is not None,
    )
