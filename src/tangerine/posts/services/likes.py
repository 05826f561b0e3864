"""Likes on posts, comments and replies: idempotent, counters exact under concurrency.

A like is an INSERT guarded by a uniqueness constraint; only the transaction whose INSERT
succeeded moves the counter (``F() + 1``), and only the one whose DELETE removed a row moves it
back. Concurrent likes of the same target serialise on the target row's UPDATE lock.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from django.db import IntegrityError, models, transaction
from django.db.models import F

from tangerine.accounts.models import User
from tangerine.posts import hooks
from tangerine.posts.models import Comment, CommentLike, Post, PostLike, Reply, ReplyLike


@dataclass(frozen=True)
class LikeKind:
    like_model: type[models.Model]
    target_model: type[models.Model]
    field: Literal["post", "comment", "reply"]  # the like's foreign key to the target


POST = LikeKind(PostLike, Post, "post")
COMMENT = LikeKind(CommentLike, Comment, "comment")
REPLY = LikeKind(ReplyLike, Reply, "reply")


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
            hooks.liked.send(hooks.Liked(kind=kind.field, user=user, target=target))
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
