from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from tangerine.accounts.models import HANDLE_MAX_LENGTH
from tangerine.chats.models import (
    BLOCKED_MESSAGE_TEXT,
    DELETED_MESSAGE_TEXT,
    HIDDEN_MESSAGE_TEXT,
    ROOM_NAME_MAX_LENGTH,
    Membership,
    Message,
    Room,
)
from tangerine.chats.selectors import read_marks_of, unread_count_for
from tangerine.chats.services import MAX_HANDLES_PER_REQUEST
from tangerine.images.serializers import ImageRefSerializer
from tangerine.products.models import Product

# The sale statuses a product card shows (the products app's ``status`` field; ``on_sale`` for
# products stored before it existed).
PRODUCT_STATUSES = ["on_sale", "reserved", "sold_out"]


class MessageSenderSerializer(serializers.Serializer[Any]):
    handle = serializers.CharField(read_only=True)
    display_name = serializers.CharField(read_only=True)


class MessageSerializer(serializers.ModelSerializer[Message]):
    """A message as history and socket frames show it.

    A hidden message keeps its place in the sequence but shows a placeholder text, except to
    staff (``context["viewer"]``); so does a message its sender deleted for everyone
    (``deleted``). So does, for its reader only, a message whose sender the reader blocked (the
    ``sender_blocked`` annotation of ``selectors.message_qs_for_room``; group rooms keep such
    pairs). A placeholder never carries the photo.

    ``unread_count``: members other than the sender whose read mark is below the message's
    ``seq``, from ``context["read_marks"]`` (``(user_id, last_read_seq)`` pairs, loaded once per
    page), so a page costs no query per message.
    """

    room = serializers.UUIDField(source="room.uuid", read_only=True)
    sender = MessageSenderSerializer(read_only=True)
    text = serializers.SerializerMethodField()
    hidden = serializers.SerializerMethodField()
    deleted = serializers.SerializerMethodField()
    image = serializers.SerializerMethodField()
    unread_count = serializers.SerializerMethodField()

    class Meta:
        model = Message
        fields = [
            "uuid",
            "room",
            "sender",
            "text",
            "image",
            "hidden",
            "deleted",
            "unread_count",
            "seq",
            "client_id",
            "created_at",
        ]
        read_only_fields = fields

    def _blocked(self, message: Message) -> bool:
        return bool(getattr(message, "sender_blocked", False))

    def _staff(self) -> bool:
        return bool(getattr(self.context.get("viewer"), "is_staff", False))

    def _masked(self, message: Message) -> bool:
        if self._blocked(message):
            return True
        masked_for_all = message.hidden_at is not None or message.deleted_at is not None
        return masked_for_all and not self._staff()

    def get_text(self, message: Message) -> str:
        staff = self._staff()
        if message.hidden_at is not None and not staff:
            return HIDDEN_MESSAGE_TEXT
        if message.deleted_at is not None and not staff:
            return DELETED_MESSAGE_TEXT
        if self._blocked(message):
            return BLOCKED_MESSAGE_TEXT
        return message.text

    def get_hidden(self, message: Message) -> bool:
        return message.hidden_at is not None or self._blocked(message)

    def get_deleted(self, message: Message) -> bool:
        return message.deleted_at is not None

    @extend_schema_field(ImageRefSerializer(allow_null=True))
    def get_image(self, message: Message) -> dict[str, Any] | None:
        if message.image_id is None or self._masked(message):
            return None
        return dict(ImageRefSerializer(message.image).data)

    def get_unread_count(self, message: Message) -> int:
        marks = self.context.get("read_marks")
        if marks is None:
            return 0
        return unread_count_for(sender_id=message.sender_id, seq=message.seq, read_marks=marks)


def message_payload(
    message: Message, *, read_marks: list[tuple[int, int]] | None = None
) -> dict[str, Any]:
    """The JSON-ready payload of a message for socket frames (``message.ack``, ``message``,
    ``message.hidden``, ``message.deleted``); ``read_marks`` give its ``unread_count``.

    Exactly ``MessageSerializer``'s output for a reader who is not staff
    (``tests/chats/test_message_payload.py`` compares them), built by hand: every message sent
    pays for this on the socket's writer thread, and a ``ModelSerializer`` builds its fields
    anew per instance (half of the send path's CPU once its SQL was written once, issue 17).
    """
    blocked = bool(getattr(message, "sender_blocked", False))
    if message.hidden_at is not None:
        text = HIDDEN_MESSAGE_TEXT
    elif message.deleted_at is not None:
        text = DELETED_MESSAGE_TEXT
    elif blocked:
        text = BLOCKED_MESSAGE_TEXT
    else:
        text = message.text
    masked = blocked or message.hidden_at is not None or message.deleted_at is not None
    image = None
    if message.image_id is not None and not masked:
        image = dict(ImageRefSerializer(message.image).data)
    sender = message.sender
    return {
        "uuid": str(message.uuid),
        "room": str(message.room.uuid),
        "sender": {"handle": sender.handle, "display_name": sender.display_name},
        "text": text,
        "image": image,
        "hidden": message.hidden_at is not None or blocked,
        "deleted": message.deleted_at is not None,
        "unread_count": unread_count_for(
            sender_id=message.sender_id, seq=message.seq, read_marks=read_marks
        )
        if read_marks is not None
        else 0,
        "seq": message.seq,
        "client_id": message.client_id,
        "created_at": _DATETIME.to_representation(message.created_at),
    }


_DATETIME = serializers.DateTimeField()


def message_payload_for_blocker(payload: dict[str, Any]) -> dict[str, Any]:
    """``payload`` as a reader who blocked its sender sees it (live frames in group rooms)."""
    return {**payload, "text": BLOCKED_MESSAGE_TEXT, "hidden": True, "image": None}


class MemberSerializer(serializers.ModelSerializer[Membership]):
    handle = serializers.CharField(source="user.handle", read_only=True)
    display_name = serializers.CharField(source="user.display_name", read_only=True)
    profile_image = ImageRefSerializer(source="user.profile_image", read_only=True, allow_null=True)

    class Meta:
        model = Membership
        fields = ["handle", "display_name", "profile_image", "joined_at", "last_read_seq"]
        read_only_fields = fields


class ProductCardSerializer(serializers.ModelSerializer[Product]):
    """The product a room is about, as its header and the room list show it."""

    status = serializers.SerializerMethodField()
    image = serializers.SerializerMethodField()

    class Meta:
        model = Product
        fields = ["uuid", "name", "price", "currency", "status", "image"]
        read_only_fields = fields

    @extend_schema_field(serializers.ChoiceField(choices=PRODUCT_STATUSES))
    def get_status(self, product: Product) -> str:
        return str(getattr(product, "status", "on_sale") or "on_sale")

    @extend_schema_field(ImageRefSerializer(allow_null=True))
    def get_image(self, product: Product) -> dict[str, Any] | None:
        # product_images is prefetched with the images by selectors.room_qs_for_member.
        links = list(product.product_images.all())
        return dict(ImageRefSerializer(links[0].image).data) if links else None


class RoomSerializer(serializers.ModelSerializer[Room]):
    """A room from one member's point of view (``unread_count`` is theirs).

    Expects a queryset from ``selectors.room_qs_for_member``.
    """

    members = MemberSerializer(source="member_list", many=True, read_only=True)
    last_message = serializers.SerializerMethodField()
    unread_count = serializers.SerializerMethodField()
    last_seq = serializers.IntegerField(read_only=True)
    last_read_seq = serializers.IntegerField(source="my_last_read_seq", read_only=True)
    product = serializers.SerializerMethodField()

    class Meta:
        model = Room
        fields = [
            "uuid",
            "name",
            "product",
            "members",
            "last_message",
            "unread_count",
            "last_seq",
            "last_read_seq",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(MessageSerializer(allow_null=True))
    def get_last_message(self, room: Room) -> dict[str, Any] | None:
        message = room.last_message
        if message is None:
            return None
        message.room = room  # already loaded: no query for the room's uuid
        message.sender_blocked = getattr(room, "last_sender_blocked", False)  # type: ignore[attr-defined]
        context = {**self.context, "read_marks": read_marks_of(room)}
        return dict(MessageSerializer(message, context=context).data)

    @extend_schema_field(ProductCardSerializer(allow_null=True))
    def get_product(self, room: Room) -> dict[str, Any] | None:
        """The product card while the product exists and is not hidden by moderation."""
        product = room.product
        if product is None or product.hidden_at is not None:
            return None
        return dict(ProductCardSerializer(product).data)

    def get_unread_count(self, room: Room) -> int:
        # Sending marks a room read for the sender, so everything after the mark is someone
        # else's message: the count is arithmetic, not a query.
        return max(0, room.last_seq - (getattr(room, "my_last_read_seq", 0) or 0))


class RoomCreateSerializer(serializers.Serializer[Any]):
    members = serializers.ListField(
        child=serializers.CharField(max_length=HANDLE_MAX_LENGTH),
        min_length=1,
        max_length=MAX_HANDLES_PER_REQUEST,
    )
    name = serializers.CharField(
        max_length=ROOM_NAME_MAX_LENGTH, required=False, allow_blank=True, default=""
    )


class RoomInviteSerializer(serializers.Serializer[Any]):
    members = serializers.ListField(
        child=serializers.CharField(max_length=HANDLE_MAX_LENGTH),
        min_length=1,
        max_length=MAX_HANDLES_PER_REQUEST,
    )


class RoomReadSerializer(serializers.Serializer[Any]):
    seq = serializers.IntegerField(min_value=0, required=False, allow_null=True)


class RoomReadResultSerializer(serializers.Serializer[Any]):
    room = serializers.UUIDField()
    last_read_seq = serializers.IntegerField()


class WsTicketSerializer(serializers.Serializer[Any]):
    ticket = serializers.CharField()
    expires_in = serializers.IntegerField(help_text="Seconds the ticket stays valid.")
