"""Notification writes, and the ``notify_*`` calls other apps make after their own writes.

``notification_create`` is the one place that decides whether a notification is wanted: never to
oneself, never across a block (either direction), never from someone the recipient muted, and
not twice within an hour for a repeated like or follow. A stored notification is pushed to the
recipient's sockets after commit as ``{"type": "notification", "notification": {...}}``; the
socket is only a doorbell, the list endpoint is the mailbox.
"""

from __future__ import annotations

import json
import re
import uuid as uuid_lib
from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from django.utils import timezone
from rest_framework.utils.encoders import JSONEncoder

from tangerine.accounts.models import Block, Mute, User
from tangerine.core.realtime import NotificationEvent, publish_on_commit, user_group
from tangerine.notifications.models import PREVIEW_MAX_LENGTH, Kind, Notification, TargetType

# Unlike-and-like-again (or unfollow-and-follow-again) should not ring the recipient each time.
DEDUP_WINDOW = timedelta(hours=1)
DEDUP_KINDS = frozenset({Kind.FOLLOW, Kind.POST_LIKE, Kind.COMMENT_LIKE, Kind.REPLY_LIKE})

_WHITESPACE = re.compile(r"\s+")


def preview_of(text: str) -> str:
    """One line of at most ``PREVIEW_MAX_LENGTH`` characters, with an ellipsis when cut."""
    line = _WHITESPACE.sub(" ", text or "").strip()
    if len(line) <= PREVIEW_MAX_LENGTH:
        return line
    return line[: PREVIEW_MAX_LENGTH - 1].rstrip() + "…"


def _unwanted(*, recipient: User, actor: User | None) -> bool:
    if actor is None:
        return False
    if actor.pk == recipient.pk:
        return True
    if Block.objects.between(recipient, actor).exists():
        return True
    return Mute.objects.filter(muter=recipient, muted=actor).exists()


def notification_event(notification: Notification) -> NotificationEvent:
    """The socket event; plain JSON types only, so every channel layer can carry it."""
    from tangerine.notifications.serializers import NotificationSerializer

    payload = json.loads(json.dumps(NotificationSerializer(notification).data, cls=JSONEncoder))
    return {"type": "notification", "notification": payload}


def notification_create(
    *,
    recipient: User,
    actor: User | None,
    kind: str,
    target_type: str,
    target_uuid: uuid_lib.UUID | str,
    preview: str = "",
    post_uuid: uuid_lib.UUID | str | None = None,
) -> Notification | None:
    """Store a notification for ``recipient`` and push it to their sockets after commit.

    Returns None, storing nothing, when ``actor`` is the recipient, a block stands between them,
    the recipient muted the actor, or (likes and follows) the same actor already caused the same
    kind of notification about the same target within ``DEDUP_WINDOW``. ``actor`` None means the
    system (moderation). ``preview`` is cut to one line of 140 characters.

    Runs in the caller's transaction when there is one (one INSERT needs no savepoint of its
    own), so the notification stands or falls with the write that caused it.
    """
    if kind not in Kind.values:
        raise ValueError(f"Unknown notification kind {kind!r}.")
    if target_type not in TargetType.values:
        raise ValueError(f"Unknown notification target type {target_type!r}.")
    if _unwanted(recipient=recipient, actor=actor):
        return None
    if (
        kind in DEDUP_KINDS
        and actor is not None
        and Notification.objects.filter(
            recipient=recipient,
            actor=actor,
            kind=kind,
            target_type=target_type,
            target_uuid=target_uuid,
            created_at__gte=timezone.now() - DEDUP_WINDOW,
        ).exists()
    ):
        return None
    notification = Notification.objects.create(
        recipient=recipient,
        actor=actor,
        kind=kind,
        target_type=target_type,
        target_uuid=target_uuid,
        post_uuid=post_uuid,
        preview=preview_of(preview),
    )
    publish_on_commit(group=user_group(recipient.uuid), event=notification_event(notification))
    return notification


def notifications_mark_read(
    *, recipient: User, uuids: Iterable[uuid_lib.UUID] | None = None, mark_all: bool = False
) -> int:
    """Mark the recipient's own unread notifications read; returns how many changed.

    Only rows whose recipient is ``recipient`` are touched: uuids of other people's notifications
    (or of none at all) are ignored, so the answer reveals nothing about them.
    """
    qs = Notification.objects.filter(recipient=recipient, read_at__isnull=True)
    if not mark_all:
        qs = qs.filter(uuid__in=list(uuids or []))
    return qs.update(read_at=timezone.now())


def notifications_delete_for_target(*, target_type: str, target_uuids: Iterable[Any]) -> int:
    """Remove notifications about deleted content (call from that content's delete service)."""
    deleted, _ = Notification.objects.filter(
        target_type=target_type, target_uuid__in=list(target_uuids)
    ).delete()
    return deleted


# --- what other apps call, after their own write succeeded ---


def notify_follow(*, follower: User, followee: User) -> Notification | None:
    """After ``follow_create`` made a new follow."""
    return notification_create(
        recipient=followee,
        actor=follower,
        kind=Kind.FOLLOW,
        target_type=TargetType.USER,
        target_uuid=follower.uuid,
    )


def notify_post_liked(*, user: User, post: Any) -> Notification | None:
    """After a new like of ``post`` by ``user``."""
    return notification_create(
        recipient=post.author,
        actor=user,
        kind=Kind.POST_LIKE,
        target_type=TargetType.POST,
        target_uuid=post.uuid,
        preview=post.title or post.text,
        post_uuid=post.uuid,
    )


def notify_comment(*, comment: Any) -> Notification | None:
    """After ``comment_create``: tells the post's author."""
    post = comment.post
    return notification_create(
        recipient=post.author,
        actor=comment.author,
        kind=Kind.COMMENT,
        target_type=TargetType.COMMENT,
        target_uuid=comment.uuid,
        preview=comment.text,
        post_uuid=post.uuid,
    )


def notify_reply(*, reply: Any) -> list[Notification]:
    """After ``reply_create``: tells the comment's author, and the post's author if different."""
    comment = reply.comment
    post = comment.post
    recipients = [comment.author]
    if post.author_id != comment.author_id:
        recipients.append(post.author)
    made = [
        notification_create(
            recipient=recipient,
            actor=reply.author,
            kind=Kind.REPLY,
            target_type=TargetType.REPLY,
            target_uuid=reply.uuid,
            preview=reply.text,
            post_uuid=post.uuid,
        )
        for recipient in recipients
    ]
    return [notification for notification in made if notification is not None]


def notify_comment_liked(*, user: User, comment: Any) -> Notification | None:
    """After a new like of ``comment`` by ``user``."""
    return notification_create(
        recipient=comment.author,
        actor=user,
        kind=Kind.COMMENT_LIKE,
        target_type=TargetType.COMMENT,
        target_uuid=comment.uuid,
        preview=comment.text,
        post_uuid=comment.post.uuid,
    )


def notify_reply_liked(*, user: User, reply: Any) -> Notification | None:
    """After a new like of ``reply`` by ``user``."""
    return notification_create(
        recipient=reply.author,
        actor=user,
        kind=Kind.REPLY_LIKE,
        target_type=TargetType.REPLY,
        target_uuid=reply.uuid,
        preview=reply.text,
        post_uuid=reply.comment.post.uuid,
    )


def notify_report_resolved(*, report: Any) -> Notification | None:
    """After a report is closed: tells its reporter the outcome (preview "resolved" or
    "rejected"). Nothing for an open report or one whose reporter's account is gone. The staff
    member stays anonymous (no actor)."""
    if report.reporter_id is None or report.status not in ("resolved", "rejected"):
        return None
    return notification_create(
        recipient=report.reporter,
        actor=None,
        kind=Kind.REPORT_RESOLVED,
        target_type=TargetType.REPORT,
        target_uuid=report.uuid,
        preview=report.status,
    )


def notify_warning(*, warning: Any) -> Notification | None:
    """After a moderation warning is created: tells the warned user (no actor)."""
    return notification_create(
        recipient=warning.user,
        actor=None,
        kind=Kind.WARNING,
        target_type=TargetType.WARNING,
        target_uuid=warning.uuid,
        preview=warning.message or warning.reason,
    )
