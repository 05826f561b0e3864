"""Reads for chats: my rooms, one room for a member, history, socket room lists."""

from __future__ import annotations

import uuid as uuid_lib
from collections.abc import Iterable
from datetime import date, datetime

from django.db.models import Count, Exists, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import TruncDate
from django.http import Http404
from django.utils import timezone

from tangerine.accounts.models import Block, User
from tangerine.chats.models import Membership, Message, Room
from tangerine.products.models import Product, ProductImage


def parse_uuid(value: object) -> uuid_lib.UUID:
    """A uuid from a path or a frame; anything malformed is "not found", never a 500."""
    try:
        return uuid_lib.UUID(str(value))
    except (TypeError, ValueError, AttributeError) as exc:
        raise Http404 from exc


def room_qs_for_member(*, user: User) -> QuerySet[Room]:
    """Open rooms ``user`` is in, ready to serialise, newest activity first.

    Queries, whatever the number of rooms on a page:
    1. the rooms, with the last message, its sender and image and the room's product joined,
       and ``my_last_read_seq`` as a subquery on the caller's membership;
    2. every membership of those rooms with its user and profile image (prefetch);
    3. the product rooms' product images with their images (prefetch; skipped by Django when no
       room on the page is about a product).
    """
    my_read = Membership.objects.filter(room=OuterRef("pk"), user=user).values("last_read_seq")
    members = Membership.objects.select_related("user", "user__profile_image").order_by(
        "joined_at", "id"
    )
    return (
        Room.objects.filter(closed_at__isnull=True, memberships__user=user)
        .select_related("last_message", "last_message__sender", "last_message__image", "product")
        .annotate(
            my_last_read_seq=Subquery(my_read[:1]),
            # A group room's last message from someone ``user`` blocked shows as a placeholder.
            last_sender_blocked=Exists(
                Block.objects.filter(blocker=user, blocked=OuterRef("last_message__sender"))
            ),
        )
        .prefetch_related(
            Prefetch("memberships", queryset=members, to_attr="member_list"),
            Prefetch(
                "product__product_images",
                queryset=ProductImage.objects.select_related("image").order_by("position"),
            ),
        )
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
        .select_related("sender", "room", "image")
        .annotate(
            sender_blocked=Exists(Block.objects.filter(blocker=reader, blocked=OuterRef("sender")))
        )
    )
    if after_seq is not None:
        return qs.filter(seq__gt=after_seq).order_by("seq")
    return qs.order_by("-seq")


def room_read_marks(*, room_id: int) -> list[tuple[int, int]]:
    """``(user_id, last_read_seq)`` of every member (one query): what a message's
    ``unread_count`` is computed from."""
    return list(Membership.objects.filter(room_id=room_id).values_list("user_id", "last_read_seq"))


def read_marks_of(room: Room) -> list[tuple[int, int]]:
    """The read marks of a room from ``room_qs_for_member``'s prefetched members (no query)."""
    return [(m.user_id, m.last_read_seq) for m in getattr(room, "member_list", [])]


def unread_count_for(*, sender_id: int, seq: int, read_marks: list[tuple[int, int]]) -> int:
    """Members other than the sender who have not read up to ``seq`` (KakaoTalk's "1")."""
    return sum(1 for user_id, mark in read_marks if user_id != sender_id and mark < seq)


def room_uuids_for_user(*, user_id: int) -> list[str]:
    """The uuids of the open rooms a socket's user is in (one query), for joining groups."""
    return [
        str(value)
        for value in Membership.objects.filter(
            user_id=user_id, room__closed_at__isnull=True
        ).values_list("room__uuid", flat=True)
    ]


def product_rooms_by_day(
    products: QuerySet[Product], since: datetime, until: datetime
) -> Iterable[tuple[int, date, int]]:
    """``(product id, local day, rooms opened that day)`` for rooms about ``products`` created
    in ``[since, until)`` (one query). Registered with the products app's insights as its
    chat counter (``ChatsConfig.ready``): a seller's "chats" are buyers who opened a chat."""
    rows = (
        Room.objects.filter(product__in=products, created_at__gte=since, created_at__lt=until)
        .annotate(day=TruncDate("created_at", tzinfo=timezone.get_current_timezone()))
        .order_by()
        .values_list("product_id", "day")
        .annotate(n=Count("id"))
    )
    return [(product_id, day, n) for product_id, day, n in rows]
