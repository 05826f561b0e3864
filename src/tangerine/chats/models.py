"""Chat rooms (1:N), their members with read state, and messages with a per-room sequence."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from tangerine.core.models import BaseModel

ROOM_NAME_MAX_LENGTH = 100
MESSAGE_TEXT_MAX_LENGTH = 2000
CLIENT_ID_MAX_LENGTH = 64
# What non-staff readers see instead of a message moderation has hidden.
HIDDEN_MESSAGE_TEXT = "This message was hidden by a moderator."
# What the blocker sees of a message from someone they blocked, in a group room.
BLOCKED_MESSAGE_TEXT = "This message is from someone you blocked."
# What everyone (staff aside) sees of a message its sender deleted for everyone.
DELETED_MESSAGE_TEXT = "This message was deleted."
# How long after sending a sender may delete a message for everyone.
MESSAGE_DELETE_WINDOW_SECONDS = 10 * 60


class Room(BaseModel):
    """A conversation between two or more users.

    ``updated_at`` is the time of the newest activity (creation, a message, an invite): room
    lists are ordered by it. ``next_seq`` is the sequence number the next message receives; it
    is read and advanced while holding the row lock, so sequence numbers have no duplicates.
    A room whose last member left is closed (``closed_at``), not deleted: its messages stay
    for moderation and reports.
    """

    name = models.CharField(max_length=ROOM_NAME_MAX_LENGTH, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    next_seq = models.PositiveBigIntegerField(default=1)
    # Denormalised so a room list needs a join, not a subquery per room.
    last_message = models.ForeignKey(
        "chats.Message", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    # A room about a product (``POST /api/products/{uuid}/chat/``): the buyer who opened it and
    # the product; the seller is the product's owner. One open room per buyer and product.
    product = models.ForeignKey(
        "products.Product", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    product_buyer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        indexes = [models.Index(fields=["-updated_at", "-id"], name="chat_room_activity")]
        constraints = [
            # Two buyers' taps at once make one room: the loser's insert fails and it reads the
            # winner's room (services.product_room_open).
            models.UniqueConstraint(
                fields=["product", "product_buyer"],
                condition=models.Q(
                    closed_at__isnull=True, product__isnull=False, product_buyer__isnull=False
                ),
                name="chat_room_product_buyer_unique",
            )
        ]

    def __str__(self) -> str:
        return self.name or str(self.uuid)

    @property
    def last_seq(self) -> int:
        return self.next_seq - 1


class Membership(BaseModel):
    """``user`` is in ``room``; ``last_read_seq`` is the newest message they have read."""

    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="chat_memberships"
    )
    joined_at = models.DateTimeField(default=timezone.now)
    last_read_seq = models.PositiveBigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["room", "user"], name="chat_membership_unique")
        ]
        indexes = [models.Index(fields=["user", "room"], name="chat_membership_user")]


class Message(BaseModel):
    """One message. ``(room, seq)`` orders history; ``(room, sender, client_id)`` makes a resend
    of the same client message a no-op. ``hidden_at`` is set by moderation; ``deleted_at`` by
    the sender ("delete for everyone"): the row stays for moderation and reports, but its text
    and photo are no longer shown to anyone but staff. A photo message has an ``image`` (from
    the images app's upload grants) and may have no text."""

    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="messages")
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="chat_messages"
    )
    text = models.TextField(max_length=MESSAGE_TEXT_MAX_LENGTH, blank=True)
    image = models.ForeignKey(
        "images.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    seq = models.PositiveBigIntegerField()
    client_id = models.CharField(max_length=CLIENT_ID_MAX_LENGTH)
    hidden_at = models.DateTimeField(null=True, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["room", "seq"], name="chat_message_seq_unique"),
            models.UniqueConstraint(
                fields=["room", "sender", "client_id"], name="chat_message_client_id_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.room_id}#{self.seq}"
