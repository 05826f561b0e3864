"""Likes on posts, comments and replies: idempotent, counters exact under concurrency.

A like is an INSERT guarded by a uniqueness constraint; only the transaction whose INSERT
succeeded moves the counter (``F() + 1``), and only the one whose DELETE removed a row moves it
back. Concurrent likes of the same target serialise on the target row's UPDATE lock.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, models, transaction
from django.db.models import F

from tangerine.accounts.models import User
from tangerine.notifications import services as notifications
from tangerine.posts.models import Comment, CommentLike, Post, PostLike, Reply, ReplyLike


@dataclass(frozen=True)
class LikeKind:
    like_model: type[models.Model]
    target_model: type[models.Model]
    field: str  # the like's foreign key to the target


POST = LikeKind(PostLike, Post, "post")
COMMENT = LikeKind(CommentLike, Comment, "comment")
REPLY = LikeKind(ReplyLike, Reply, "reply")

_NOTIFY: dict[LikeKind, Callable[[User, Any], object]] = {
    POST: lambda user, post: notifications.notify_post_liked(user=user, post=post),
    COMMENT: lambda user, comment: notifications.notify_comment_liked(user=user, comment=comment),
    REPLY: lambda user, reply: notifications.notify_reply_liked(user=user, reply=reply),
}


@dataclass(frozen=True)
class LikeState:
    like_count: int
    liked: bool


def _state(kind: LikeKind, target: Any, user: User, liked: bool) -> LikeState:
    count = kind.target_model.objects.filter(pk=target.pk).values_list("like_count", flat=True)  # type: ignore[attr-defined]
    return LikeState(like_count=count.first() or 0, liked=liked)


def like_create(*, kind: LikeKind, user: User, target: Any) -> LikeState:
    """Like ``target`` (the caller checked the user may see it); liking twice changes nothing."""
    try:
        with transaction.atomic():
            kind.like_model.objects.create(user=user, **{kind.field: target})  # type: ignore[attr-defined]
            kind.target_model.objects.filter(pk=target.pk).update(  # type: ignore[attr-defined]
                like_count=F("like_count") + 1
            )
            # Only a new like rings: a repeated like hit the constraint above.
            _NOTIFY[kind](user, target)
    except IntegrityError:
        pass  # already liked: idempotent
    return _state(kind, target, user, liked=True)


def like_delete(*, kind: LikeKind, user: User, target: Any) -> LikeState:
    """Remove the user's like of ``target`` if there is one."""
    with transaction.atomic():
        deleted, _ = kind.like_model.objects.filter(user=user, **{kind.field: target}).delete()  # type: ignore[attr-defined]
        if deleted:
            kind.target_model.objects.filter(pk=target.pk).update(  # type: ignore[attr-defined]
                like_count=F("like_count") - 1
            )
    return _state(kind, target, user, liked=False)


def like_state(*, kind: LikeKind, user: Any, target: Any) -> LikeState:
    liked = bool(
        user is not None
        and user.is_authenticated
        and kind.like_model.objects.filter(user=user, **{kind.field: target}).exists()  # type: ignore[attr-defined]
    )
    return _state(kind, target, user, liked=liked)
