"""Notifications: something another user (or moderation) did that concerns the recipient."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

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


# Kinds that group: one unread row per (recipient, kind, target) collects every actor
# ("민지님 외 3명이 회원님의 글을 좋아합니다"). A follow's target is the followee (the recipient).
GROUPED_KINDS: tuple[str, ...] = (
    Kind.FOLLOW,
    Kind.POST_LIKE,
    Kind.COMMENT_LIKE,
    Kind.REPLY_LIKE,
    Kind.PRODUCT_SAVED,
)

# Moderation notices cannot be turned off (preferences): the author of hidden content must learn
# the reason (and that they may appeal), and a warning must reach the warned.
ALWAYS_ON = frozenset({Kind.WARNING, Kind.CONTENT_HIDDEN})


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
    # The last activity: creation, or the newest actor joining the group (bumps it to the top).
    latest_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [
            # The list: a recipient's notifications, latest activity first (cursor over
            # latest_at, id).
            models.Index(
                fields=["recipient", "-latest_at", "-id"], name="notification_recipient_active"
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
        constraints = [
            # At most one open (unread) group per recipient, kind and target: concurrent actors
            # meet here (the loser of an insert race joins the winner's row).
            models.UniqueConstraint(
                fields=["recipient", "kind", "target_type", "target_uuid"],
                condition=models.Q(read_at__isnull=True, kind__in=GROUPED_KINDS),
                name="notification_one_open_group",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} for {self.recipient_id}"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class NotificationActor(models.Model):
    """Who caused a notification: one row for a single notification, one per actor of a group.

    The group's count is the number of these rows (those the recipient may still see), so it
    is exact however many actors arrive at once: each is one INSERT under a unique constraint.
    """

    notification = models.ForeignKey(
        Notification, on_delete=models.CASCADE, related_name="actor_rows"
    )
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["notification", "actor"], name="notification_actor_once"
            ),
        ]
        indexes = [
            models.Index(
                fields=["notification", "-created_at", "-id"], name="notification_actor_latest"
            ),
            # Dedup lookups: has this actor caused this kind about this target lately?
            models.Index(fields=["actor", "-created_at"], name="notification_actor_recent"),
        ]

    def __str__(self) -> str:
        return f"{self.actor_id} in {self.notification_id}"


class DisabledKind(models.Model):
    """A kind the user turned off (preferences): no row means on, so the default is all on."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_kinds_off"
    )
    kind = models.CharField(max_length=32, choices=Kind.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="notification_kind_off_once"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} off for {self.user_id}"
