"""Before an account is deleted: fix the counters its content and likes hold on others' rows.

The user's own posts, comments, replies and likes are removed by the database cascade when the
user row goes; what the cascade cannot do is lower ``like_count`` / ``comment_count`` /
``reply_count`` on rows that belong to other people. That is done here, in one transaction,
with ``F()`` so concurrent likes and comments elsewhere are not lost.
"""

from __future__ import annotations

from collections import Counter

from django.db import transaction
from django.db.models import Case, F, IntegerField, Model, Value, When

from tangerine.accounts.models import User
from tangerine.posts.models import Comment, CommentLike, Post, PostLike, Reply, ReplyLike


def _decrement(model: type[Model], field: str, amounts: Counter[int]) -> None:
    """``field -= amounts[pk]`` for every pk in ``amounts``, in one UPDATE."""
    amounts = Counter({pk: n for pk, n in amounts.items() if n})
    if not amounts:
        return
    by = Case(
        *[When(pk=pk, then=Value(n)) for pk, n in amounts.items()],
        default=Value(0),
        output_field=IntegerField(),
    )
    model.objects.filter(pk__in=list(amounts)).update(**{field: F(field) - by})  # type: ignore[attr-defined]


@transaction.atomic
def social_delete_for_user(*, user: User) -> None:
    """Remove the user's likes, comments and replies, fixing counters on others' content.

    Call inside the account deletion, before the user row is deleted.
    """
    # Likes the user gave: each removes one from its target (unique per user and target).
    for like_model, target_model, fk in (
        (PostLike, Post, "post_id"),
        (CommentLike, Comment, "comment_id"),
        (ReplyLike, Reply, "reply_id"),
    ):
        likes = like_model.objects.filter(user=user)
        targets = Counter(likes.values_list(fk, flat=True))
        _decrement(target_model, "like_count", targets)
        likes.delete()

    # Replies by the user under other people's comments: one off the comment and its post.
    replies = Reply.objects.filter(author=user).exclude(comment__author=user)
    rows = list(replies.values_list("comment_id", "comment__post_id"))
    _decrement(Comment, "reply_count", Counter(c for c, _ in rows))
    _decrement(Post, "comment_count", Counter(p for _, p in rows))
    replies.delete()

    # Comments by the user (with every reply under them) on posts of others.
    comments = Comment.objects.filter(author=user).exclude(post__author=user)
    removed: Counter[int] = Counter(comments.values_list("post_id", flat=True))
    removed.update(
        Reply.objects.filter(comment__in=comments).values_list("comment__post_id", flat=True)
    )
    _decrement(Post, "comment_count", removed)
    comments.delete()
