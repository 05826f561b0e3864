"""Writes for chats: rooms, membership, messages and read state.

Realtime effects are published after the commit (``events.publish_*``); the database is the
source of truth and the channel layer only rings the bell.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connections, router, transaction
from django.db.models.functions import Lower
from django.http import Http404
from django.utils import timezone
from rest_framework import exceptions, status

from tangerine.accounts.models import Block, User
from tangerine.accounts.selectors import user_qs_for_viewer
from tangerine.chats import events, statements
from tangerine.chats.models import (
    CLIENT_ID_MAX_LENGTH,
    MESSAGE_DELETE_WINDOW_SECONDS,
    MESSAGE_TEXT_MAX_LENGTH,
    ROOM_NAME_MAX_LENGTH,
    Membership,
    Message,
    Room,
)
from tangerine.chats.selectors import parse_uuid, room_read_marks
from tangerine.core import metrics
from tangerine.images.models import Image
from tangerine.images.selectors import images_for_attach
from tangerine.products.selectors import product_get_visible

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


@dataclass(frozen=True)
class ProductRoomResult:
    room: Room
    created: bool


def product_room_open(*, buyer: User, product_uuid: object) -> ProductRoomResult:
    """Open or reuse the one-to-one room between ``buyer`` and the seller of the product.

    One open room per buyer and product (a conditional unique constraint): when two requests
    race, the second insert fails and the winner's room is returned. A party who left the room
    is added back (with the history marked read). 404 when the viewer may not see the product
    (hidden, unknown, a block in either direction, a suspended seller); 400 on one's own
    product.
    """
    product = product_get_visible(viewer=buyer, uuid=product_uuid)
    if product.hidden_at is not None:  # staff see hidden products; nobody chats about them
        raise Http404
    if product.owner_id == buyer.pk:
        raise ValidationError({"product": ["You cannot chat about your own product."]})
    seller = product.owner
    for attempt in range(2):
        try:
            with transaction.atomic():
                room = (
                    Room.objects.select_for_update(of=("self",))
                    .filter(product=product, product_buyer=buyer, closed_at__isnull=True)
                    .first()
                )
                if room is not None:
                    _product_room_rejoin(room=room, users=[buyer, seller])
                    return ProductRoomResult(room=room, created=False)
                room = Room.objects.create(created_by=buyer, product=product, product_buyer=buyer)
                Membership.objects.bulk_create(
                    [Membership(room=room, user=user) for user in (buyer, seller)]
                )
                for user in (buyer, seller):
                    events.publish_room_joined(user_uuid=user.uuid, room_uuid=room.uuid)
                return ProductRoomResult(room=room, created=True)
        except IntegrityError:
            # Another request made the room between our read and our insert: read theirs.
            if attempt:
                raise
    raise AssertionError("unreachable")  # pragma: no cover


def _product_room_rejoin(*, room: Room, users: list[User]) -> None:
    """Add back whichever of ``users`` left ``room`` (call holding the room's row lock)."""
    present = set(Membership.objects.filter(room=room).values_list("user_id", flat=True))
    back = [user for user in users if user.pk not in present]
    if not back:
        return
    Membership.objects.bulk_create(
        [Membership(room=room, user=user, last_read_seq=room.last_seq) for user in back]
    )
    Room.objects.filter(pk=room.pk).update(updated_at=timezone.now())
    events.publish_members_changed(room_uuid=room.uuid, joined=back)  # first: see room_invite
    for user in back:
        events.publish_room_joined(user_uuid=user.uuid, room_uuid=room.uuid)


def _room_lock_for_member(*, user: User, room_uuid: object) -> Room:
    """Lock the open room row if ``user`` is a member, else 404. Call inside a transaction.

    ``message_send`` takes the same lock with its resend check in one statement of its own
    (``statements.lock_room``)."""
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
    if room.product_buyer_id is not None:
        raise ValidationError(
            {"members": ["A chat about a product is between its buyer and its seller."]}
        )
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
    # The room hears of the newcomers before they join its group: a newcomer's sockets get
    # their own "room.joined" only, never a "room.members" naming themselves (a race before).
    events.publish_members_changed(room_uuid=room.uuid, joined=newcomers)
    for user in newcomers:
        events.publish_room_joined(user_uuid=user.uuid, room_uuid=room.uuid)
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


def _uuid_param(value: object, connection: Any) -> Any:
    """A room uuid from a frame as the database takes it (404 when malformed)."""
    field = Room._meta.get_field("uuid")
    return field.get_db_prep_value(parse_uuid(value), connection, prepared=False)


class SenderBlockedError(Exception):
    """A block (either direction) stands between the two members of a one-to-one room."""


def _blocked_in_room(*, user: User, member_ids: list[int]) -> bool:
    """True when the room of ``member_ids`` is one-to-one and a block stands between its two
    members (one query then; none for a group room).

    In a group room a block does not silence anyone: one member's block would otherwise stop
    the sender talking to everyone. There the blocker just sees the blocked member's messages
    as placeholders (``MessageSerializer``, and the socket consumer for live frames).
    """
    if len(member_ids) > 2:
        return False
    return Block.objects.between_any([user.pk], member_ids).exists()


@dataclass(frozen=True)
class SendResult:
    message: Message
    created: bool
    # (user_id, last_read_seq) of every member right after the send: the message's unread count.
    read_marks: list[tuple[int, int]]


def message_send(
    *,
    sender: User,
    room_uuid: object,
    text: str,
    client_id: str,
    image: object | None = None,
) -> SendResult:
    """Store a message from ``sender`` (a member, else 404) with the room's next sequence number.

    ``image``: the uuid of one of the sender's uploaded images (images app upload grant; not
    failed), making a photo message whose ``text`` may be empty.
    Idempotent per ``(room, sender, client_id)``: a resend returns the stored message with
    ``created=False``. ``SenderBlockedError`` if a block stands between the sender and a member.
    Sending marks the room read up to the new message for the sender.
    The caller fans the message out after this returns (the transaction is committed).
    """
    if not isinstance(text, str) or (not text.strip() and image is None):
        raise ValidationError({"text": ["A message needs some text."]})
    if len(text) > MESSAGE_TEXT_MAX_LENGTH:
        raise ValidationError({"text": [f"At most {MESSAGE_TEXT_MAX_LENGTH} characters."]})
    if not isinstance(client_id, str) or not 1 <= len(client_id) <= CLIENT_ID_MAX_LENGTH:
        raise ValidationError({"client_id": [f"1 to {CLIENT_ID_MAX_LENGTH} characters."]})
    # PostgreSQL text cannot hold NUL: refuse it here, not as a database error mid-socket.
    for field, value in (("text", text), ("client_id", client_id)):
        if "\x00" in value:
            raise ValidationError({field: ["Null characters are not allowed."]})
    using = router.db_for_write(Message)
    sql = statements.statements(using)
    connection = connections[using]
    with transaction.atomic(using=using), connection.cursor() as cursor:
        # Statements (each one a round trip on the message path; their text is built once,
        # ``statements.py``): 1. the room row, locked, with the id of an earlier message under
        # this client_id; 2. every member's read mark (the block check and the new message's
        # unread count); 3. (one-to-one rooms only) whether a block stands between the two
        # members; 4. the insert; 5. the room's sequence and last message; 6. the sender's
        # read mark (4-6 are one statement on PostgreSQL). The row lock serialises senders of
        # one room, and mark-read takes it too: sequence numbers, the idempotency check and the
        # read marks read here cannot race.
        cursor.execute(
            sql.lock_room, [sender.pk, client_id, _uuid_param(room_uuid, connection), sender.pk]
        )
        row = cursor.fetchone()
        if row is None:
            raise Http404
        room = statements.room_from_row(using, row[:-1])
        cursor.execute(sql.read_marks, [room.pk])
        marks = [(int(user_id), int(mark)) for user_id, mark in cursor.fetchall()]
        existing_id = row[-1]
        if existing_id is not None:
            existing = Message.objects.select_related("image").get(pk=existing_id)
            existing.room = room
            existing.sender = sender
            return SendResult(message=existing, created=False, read_marks=marks)
        # Blocked pairs cannot share a new room; a one-to-one room made before the block stays,
        # but neither side can reach the other through it.
        if _blocked_in_room(user=sender, member_ids=[user_id for user_id, _ in marks]):
            raise SenderBlockedError
        photo: Image | None = None
        if image is not None:
            photo = images_for_attach(owner=sender, uuids=[image], max_count=1, field="image")[0]
        message = Message(
            room=room,
            sender=sender,
            text=text.strip() if photo is not None else text,
            image=photo,
            seq=room.next_seq,
            client_id=client_id,
        )
        values = [
            field.get_db_prep_save(field.pre_save(message, True), connection)
            for field in sql.message_fields
        ]
        updated_at = Room._meta.get_field("updated_at").get_db_prep_save(
            message.created_at, connection
        )
        mark = [message.seq, message.seq, room.pk, sender.pk]
        if sql.write_message:  # PostgreSQL: 4-6 in one statement
            cursor.execute(sql.write_message, [*values, updated_at, room.pk, *mark])
            message.pk = cursor.fetchone()[0]
        else:
            cursor.execute(sql.insert_message, values)
            message.pk = cursor.fetchone()[0] if sql.returns_id else cursor.lastrowid
            cursor.execute(sql.advance_room, [message.pk, updated_at, room.pk])
            cursor.execute(sql.mark_read, mark)
        message._state.adding = False
        message._state.db = using
        transaction.on_commit(metrics.chat_messages_sent.inc, using=using)
        # The marks as they are now: the sender's moved up to the new message.
        marks = [
            (user_id, max(mark, message.seq) if user_id == sender.pk else mark)
            for user_id, mark in marks
        ]
    return SendResult(message=message, created=True, read_marks=marks)


@transaction.atomic
def membership_mark_read(*, user: User, room_uuid: object, seq: int | None = None) -> int:
    """Move ``user``'s read mark in the room forward to ``seq`` (default: the newest message).

    The mark never moves back and never passes the newest message. Returns the new mark; the
    user's other sockets are told.
    """
    room = _room_lock_for_member(user=user, room_uuid=room_uuid)
    target = room.last_seq if seq is None else max(0, min(int(seq), room.last_seq))
    before = Membership.objects.values_list("last_read_seq", flat=True).get(room=room, user=user)
    mark = max(before, target)
    if mark > before:
        Membership.objects.filter(room=room, user=user).update(last_read_seq=mark)
        # The other members recompute their messages' unread counts (read receipts).
        events.publish_member_read(room_uuid=room.uuid, user=user, seq=mark)
    events.publish_read(user_uuid=user.uuid, room_uuid=room.uuid, seq=mark)
    return mark


class MessageDeleteWindowPassed(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = (
        f"A message can be deleted for everyone only within "
        f"{MESSAGE_DELETE_WINDOW_SECONDS // 60} minutes of sending it."
    )
    default_code = "delete_window_passed"


class NotYourMessage(exceptions.PermissionDenied):
    default_detail = "You can delete only your own messages."
    default_code = "not_your_message"


def message_delete(*, user: User, room_uuid: object, message_uuid: object) -> Message:
    """``user`` deletes their own message for everyone, within ``MESSAGE_DELETE_WINDOW_SECONDS``.

    404 when the room is not one of ``user``'s or the message is not in it; 403
    (``not_your_message``) for someone else's message; 409 (``delete_window_passed``) after the
    window. Deleting twice is harmless. The row stays (``deleted_at``) for moderation; the
    room's open sockets get ``message.deleted`` after the commit.
    """
    with transaction.atomic():
        room = _room_lock_for_member(user=user, room_uuid=room_uuid)
        message = (
            Message.objects.select_related("sender", "image")
            .filter(room=room, uuid=parse_uuid(message_uuid))
            .first()
        )
        if message is None:
            raise Http404
        if message.sender_id != user.pk:
            raise NotYourMessage
        if message.deleted_at is not None:
            return message
        now = timezone.now()
        if (now - message.created_at).total_seconds() > MESSAGE_DELETE_WINDOW_SECONDS:
            raise MessageDeleteWindowPassed
        message.deleted_at = now
        message.save(update_fields=["deleted_at", "updated_at"])
        message.room = room
        _publish_changed(message=message, kind="deleted")
    return message


def _publish_changed(*, message: Message, kind: str) -> None:
    """Tell the room's sockets a message changed face (deleted, hidden, shown again)."""
    from tangerine.chats.serializers import message_payload

    payload = message_payload(message, read_marks=room_read_marks(room_id=message.room_id))
    if kind == "deleted":
        events.publish_message_deleted(
            room_uuid=message.room.uuid, sender_uuid=message.sender.uuid, message=payload
        )
    else:
        events.publish_message_moderated(
            room_uuid=message.room.uuid,
            sender_uuid=message.sender.uuid if message.sender else "",
            message=payload,
            hidden=kind == "hidden",
        )


def message_moderated(*, message_id: int) -> None:
    """Moderation hid or unhid the message: the room's open sockets get its new face.

    Call inside the moderation transaction; the event leaves after the commit.
    """
    message = (
        Message.objects.select_related("room", "sender", "image").filter(pk=message_id).first()
    )
    if message is None:
        return
    _publish_changed(message=message, kind="hidden" if message.hidden_at else "unhidden")
