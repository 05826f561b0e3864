"""Notifications: something another user (or moderation) did that concerns the recipient."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from tangerine.core.models import BaseModel

PREVIEW_MAX_LENGTH = 140


class Kind(models.TextChoices):
    FOLLOW = "follow"
    POST_LIKE = "post_like"
    COMMENT = "comment"
    REPLY = "reply"
    COMMENT_LIKE = "comment_like"
    REPLY_LIKE = "reply_like"
    REPORT_RESOLVED = "report_resolved"
    WARNING = "warning"
    MENTION = "mention"
    PRODUCT_SAVED = "product_saved"
    CONTENT_HIDDEN = "content_hidden"
    APPEAL_RESOLVED = "appeal_resolved"
    STORE_LINK = "store_link"


class TargetType(models.TextChoices):
    USER = "user"
    POST = "post"
    COMMENT = "comment"
    REPLY = "reply"
    REPORT = "report"
    WARNING = "warning"
    PRODUCT = "product"
    MESSAGE = "message"
    APPEAL = "appeal"


class Notification(BaseModel):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    # Null for moderation notices (staff stay anonymous) and once the actor's account is gone:
    # the recipient keeps the history.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="notifications_caused",
    )
    kind = models.CharField(max_length=32, choices=Kind.choices)
    # A reference, not a foreign key: targets live in several tables, and a notification
    # outlives its target (the frozen preview still reads sensibly).
    target_type = models.CharField(max_length=16, choices=TargetType.choices)
    target_uuid = models.UUIDField()
    # The post a comment, reply or like belongs to, so a client can link without a lookup.
    post_uuid = models.UUIDField(null=True, blank=True)
    # Frozen at creation: later edits of the target do not rewrite history.
    preview = models.CharField(max_length=PREVIEW_MAX_LENGTH, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            # The list: a recipient's notifications newest first (cursor over created_at, id).
            models.Index(
                fields=["recipient", "-created_at", "-id"], name="notification_recipient_latest"
            ),
            # The unread badge: only unread rows are indexed, so the count stays cheap.
            models.Index(
                fields=["recipient"],
                condition=models.Q(read_at__isnull=True),
                name="notification_unread",
            ),
            # Removing notifications about deleted content.
            models.Index(fields=["target_type", "target_uuid"], name="notification_target"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} for {self.recipient_id}"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None
