"""Reads for chats: my rooms, one room for a member, history, socket room lists."""

from __future__ import annotations

import uuid as uuid_lib

from django.db.models import Exists, OuterRef, Prefetch, QuerySet, Subquery
from django.http import Http404

from tangerine.accounts.models import Block, User
from tangerine.chats.models import Membership, Message, Room


def parse_uuid(value: object) -> uuid_lib.UUID:
    """A uuid from a path or a frame; anything malformed is "not found", never a 500."""
    try:
        return uuid_lib.UUID(str(value))
    except (TypeError, ValueError, AttributeError) as exc:
        raise Http404 from exc


def room_qs_for_member(*, user: User) -> QuerySet[Room]:
    """Open rooms ``user`` is in, ready to serialise, newest activity first.

    Queries, whatever the number of rooms on a page:
    1. the rooms, with the last message and its sender joined and ``my_last_read_seq`` as a
       subquery on the caller's membership;
    2. every membership of those rooms with its user and profile image (prefetch).
    """
    my_read = Membership.objects.filter(room=OuterRef("pk"), user=user).values("last_read_seq")
    members = Membership.objects.select_related("user", "user__profile_image").order_by(
        "joined_at", "id"
    )
    return (
        Room.objects.filter(closed_at__isnull=True, memberships__user=user)
        .select_related("last_message", "last_message__sender")
        .annotate(
            my_last_read_seq=Subquery(my_read[:1]),
            # A group room's last message from someone ``user`` blocked shows as a placeholder.
            last_sender_blocked=Exists(
                Block.objects.filter(blocker=user, blocked=OuterRef("last_message__sender"))
            ),
        )
        .prefetch_related(Prefetch("memberships", queryset=members, to_attr="member_list"))
        .order_by("-updated_at", "-id")
    )


def access_room_for_member(*, user: User, room_uuid: object) -> Room:
    """The open room with this uuid if ``user`` is a member, else 404 (the same as missing)."""
    room = room_qs_for_member(user=user).filter(uuid=parse_uuid(room_uuid)).first()
    if room is None:
        raise Http404
    return room


def room_is_member(*, user: User, room_uuid: object) -> bool:
    return Membership.objects.filter(
        user=user, room__uuid=parse_uuid(room_uuid), room__closed_at__isnull=True
    ).exists()


def message_qs_for_room(
    *, room: Room, reader: User, after_seq: int | None = None
) -> QuerySet[Message]:
    """History of ``room`` for ``reader`` (one query per page: sender joined, and whether the
    reader blocked the sender as an EXISTS). The caller checked membership.

    Without ``after_seq``: newest first. With it: the messages after that sequence number,
    oldest first, for catching up after a reconnect.
    """
    qs = (
        Message.objects.filter(room=room)
        .select_related("sender", "room")
        .annotate(
            sender_blocked=Exists(Block.objects.filter(blocker=reader, blocked=OuterRef("sender")))
        )
    )
    if after_seq is not None:
        return qs.filter(seq__gt=after_seq).order_by("seq")
    return qs.order_by("-seq")


def room_uuids_for_user(*, user_id: int) -> list[str]:
    """The uuids of the open rooms a socket's user is in (one query), for joining groups."""
    return [
        str(value)
        for value in Membership.objects.filter(
            user_id=user_id, room__closed_at__isnull=True
        ).values_list("room__uuid", flat=True)
    ]
