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

from django.db import IntegrityError, transaction
from django.utils import timezone
from rest_framework.utils.encoders import JSONEncoder

from tangerine.accounts.models import Block, Mute, User
from tangerine.core.realtime import NotificationEvent, publish_on_commit, user_group
from tangerine.notifications.models import (
    ALWAYS_ON,
    GROUPED_KINDS,
    PREVIEW_MAX_LENGTH,
    DisabledKind,
    Kind,
    Notification,
    NotificationActor,
    TargetType,
)
from tangerine.notifications.selectors import notification_preferences

# Unlike-and-like-again (or unfollow-and-follow-again) should not ring the recipient each time.
DEDUP_WINDOW = timedelta(hours=1)
DEDUP_KINDS = frozenset(GROUPED_KINDS)

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
    from tangerine.notifications.selectors import notification_for_event
    from tangerine.notifications.serializers import NotificationSerializer

    shown = notification_for_event(notification)
    payload = json.loads(json.dumps(NotificationSerializer(shown).data, cls=JSONEncoder))
    return {"type": "notification", "notification": payload}


def notification_preferences_update(*, user: User, changes: dict[str, bool]) -> dict[str, bool]:
    """Turn kinds on (``True``) or off (``False``); answers every kind's state afterwards.

    Idempotent: turning off what is off (or on what is on) changes nothing. Kinds in
    ``ALWAYS_ON`` cannot be turned off (the serializer refuses; here a ``ValueError``).
    """
    unknown = set(changes) - set(Kind.values)
    if unknown:
        raise ValueError(f"Unknown notification kinds {sorted(unknown)!r}.")
    if any(kind in ALWAYS_ON and on is False for kind, on in changes.items()):
        raise ValueError("Moderation notices cannot be turned off.")
    with transaction.atomic():
        on = [kind for kind, enabled in changes.items() if enabled]
        off = [kind for kind, enabled in changes.items() if not enabled]
        if on:
            DisabledKind.objects.filter(user=user, kind__in=on).delete()
        if off:
            DisabledKind.objects.bulk_create(
                [DisabledKind(user=user, kind=kind) for kind in off], ignore_conflicts=True
            )
    return notification_preferences(user=user)


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
    the recipient muted the actor, the recipient turned ``kind`` off (preferences), or the same
    actor already caused the same kind of notification about the same target within
    ``DEDUP_WINDOW`` (likes, follows, saves), or is already in the open group.

    A grouped kind (``GROUPED_KINDS``) with an actor joins the recipient's open (unread) group
    for that kind and target, creating it if there is none: the group's row is locked
    (``select_for_update``) while the actor is added and it is bumped (``latest_at``, ``actor``,
    ``preview``), and the unique constraint on open groups turns an insert race into a retry that
    joins the winner's row. The returned row is the group. ``actor`` None means the system
    (moderation). ``preview`` is cut to one line of 140 characters.

    Runs in the caller's transaction when there is one, so the notification stands or falls with
    the write that caused it.
    """
    if kind not in Kind.values:
        raise ValueError(f"Unknown notification kind {kind!r}.")
    if target_type not in TargetType.values:
        raise ValueError(f"Unknown notification target type {target_type!r}.")
    if _unwanted(recipient=recipient, actor=actor):
        return None
    if kind not in ALWAYS_ON and DisabledKind.objects.filter(user=recipient, kind=kind).exists():
        return None
    if (
        kind in DEDUP_KINDS
        and actor is not None
        and NotificationActor.objects.filter(
            actor=actor,
            notification__recipient=recipient,
            notification__kind=kind,
            notification__target_type=target_type,
            notification__target_uuid=target_uuid,
            created_at__gte=timezone.now() - DEDUP_WINDOW,
        ).exists()
    ):
        return None
    fields = {
        "recipient": recipient,
        "kind": kind,
        "target_type": target_type,
        "target_uuid": target_uuid,
    }
    if kind in GROUPED_KINDS and actor is not None:
        notification = _join_group(
            fields=fields, actor=actor, preview=preview_of(preview), post_uuid=post_uuid
        )
        if notification is None:
            return None
    else:
        with transaction.atomic():
            notification = Notification.objects.create(
                **fields, actor=actor, post_uuid=post_uuid, preview=preview_of(preview)
            )
            if actor is not None:
                NotificationActor.objects.create(
                    notification=notification, actor=actor, created_at=notification.created_at
                )
    publish_on_commit(group=user_group(recipient.uuid), event=notification_event(notification))
    return notification


_GROUP_ATTEMPTS = 5


def _join_group(
    *, fields: dict[str, Any], actor: User, preview: str, post_uuid: Any
) -> Notification | None:
    """Add ``actor`` to the open group of ``fields`` (created if missing); None if already in."""
    for _ in range(_GROUP_ATTEMPTS):
        with transaction.atomic():
            now = timezone.now()
            group = (
                Notification.objects.select_for_update()
                .filter(**fields, read_at__isnull=True)
                .first()
            )
            if group is None:
                try:
                    with transaction.atomic():
                        group = Notification.objects.create(
                            **fields,
                            actor=actor,
                            post_uuid=post_uuid,
                            preview=preview,
                            latest_at=now,
                        )
                except IntegrityError:
                    continue  # someone opened it first: lock theirs and join it
            elif group.actor_rows.filter(actor=actor).exists():
                return None
            else:
                group.actor = actor
                group.latest_at = now
                group.preview = preview
                group.save(update_fields=["actor", "latest_at", "preview", "updated_at"])
            NotificationActor.objects.create(notification=group, actor=actor, created_at=now)
            return group
    raise RuntimeError("Could not join the notification group (kept losing insert races).")


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
    _, by_model = Notification.objects.filter(
        target_type=target_type, target_uuid__in=list(target_uuids)
    ).delete()
    return by_model.get(Notification._meta.label, 0)


# --- what other apps call, after their own write succeeded ---


def notify_follow(*, follower: User, followee: User) -> Notification | None:
    """After ``follow_create`` made a new follow."""
    return notification_create(
        recipient=followee,
        actor=follower,
        kind=Kind.FOLLOW,
        target_type=TargetType.USER,
        # The group's target is the followee: all new followers gather in one line.
        target_uuid=followee.uuid,
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


def notify_mentioned(*, author: User, target: Any, users: Iterable[User]) -> list[Notification]:
    """After a post, comment or reply newly mentions ``users`` (``@handle``): one notification
    per person and item. Someone already told about this item is not told again (an edit that
    keeps a mention, or the hook sent twice), and blocks and mutes apply as everywhere."""
    from tangerine.posts.models import Comment, Post, Reply

    if isinstance(target, Post):
        target_type, preview, post_uuid = TargetType.POST, target.title or target.text, target.uuid
    elif isinstance(target, Comment):
        target_type, preview, post_uuid = TargetType.COMMENT, target.text, target.post.uuid
    elif isinstance(target, Reply):
        target_type, preview, post_uuid = TargetType.REPLY, target.text, target.comment.post.uuid
    else:
        raise ValueError(f"Cannot mention in {type(target).__name__}.")
    told = set(
        Notification.objects.filter(
            kind=Kind.MENTION, target_type=target_type, target_uuid=target.uuid
        ).values_list("recipient_id", flat=True)
    )
    made = []
    for user in {user.pk: user for user in users}.values():
        if user.pk in told:
            continue
        notification = notification_create(
            recipient=user,
            actor=author,
            kind=Kind.MENTION,
            target_type=target_type,
            target_uuid=target.uuid,
            preview=preview,
            post_uuid=post_uuid,
        )
        if notification is not None:
            made.append(notification)
    return made


def notify_product_saved(*, user: User, product: Any) -> Notification | None:
    """After ``user`` newly saved (찜) ``product``: tells the seller (grouped per product)."""
    return notification_create(
        recipient=product.owner,
        actor=user,
        kind=Kind.PRODUCT_SAVED,
        target_type=TargetType.PRODUCT,
        target_uuid=product.uuid,
        preview=product.name,
    )


STORE_LINK_ISSUES = ("link", "price", "stock")


def notify_store_link(*, product: Any, issues: Iterable[str]) -> Notification | None:
    """After a store-link check newly found something for the seller to fix: ``issues`` holds
    ``link`` (broken), ``price`` (the store states another price) and/or ``stock`` (the store
    is out of stock while the product is on sale).

    The preview is ``"<issues>:<product name>"``, e.g. ``"price,stock:제주 감귤 5kg"`` (issue
    codes in a fixed order, comma-separated; codes never contain a colon), so a client words
    each issue in its own language and links to the product, where the one-tap fix is. No
    actor.
    """
    found = set(issues)
    unknown = found - set(STORE_LINK_ISSUES)
    if not found or unknown:
        raise ValueError(f"Store-link issues must be some of {STORE_LINK_ISSUES}: {issues!r}.")
    codes = ",".join(code for code in STORE_LINK_ISSUES if code in found)
    return notification_create(
        recipient=product.owner,
        actor=None,
        kind=Kind.STORE_LINK,
        target_type=TargetType.PRODUCT,
        target_uuid=product.uuid,
        preview=f"{codes}:{product.name}",
    )
