"""Posts, comments and replies as reportable targets (``core.moderation``).

Hiding is this app's write: it sets ``hidden_at`` and, for posts, announces the change so the
search index follows (``hooks.post_changed``).
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from tangerine.accounts.auth import Viewer
from tangerine.accounts.moderation import person_evidence
from tangerine.core import moderation
from tangerine.images.evidence import image_evidence
from tangerine.posts import hooks
from tangerine.posts.models import Comment, Post, Reply


def _post_visible(viewer: Viewer) -> QuerySet[Post]:
    return Post.objects.visible_to(viewer)


def _comment_visible(viewer: Viewer) -> QuerySet[Comment]:
    # A comment under a post the viewer cannot see is not visible either.
    return Comment.objects.visible_to(viewer).filter(post__in=_post_visible(viewer))


def _reply_visible(viewer: Viewer) -> QuerySet[Reply]:
    # Reply reuses Comment's QuerySet class, which misleads the type checker about its fields.
    replies: Any = Reply.objects.visible_to(viewer)
    return replies.filter(comment__in=_comment_visible(viewer))


def post_set_hidden(pk: int, hidden: bool) -> bool:
    """Hide or show a post again; search follows either way (the index may lag)."""
    changed = moderation.set_hidden_at(Post, pk, hidden)
    hooks.post_changed.send(hooks.PostChanged(post_id=pk))
    return changed


def _post_snapshot(post: Post) -> dict[str, Any]:
    return {
        "uuid": str(post.uuid),
        "title": post.title,
        "text": post.text,
        "status": post.status,
        "category": post.category,
        "tags": sorted(tag.name for tag in post.tags.all()),
        "images": [image_evidence(link.image) for link in post.post_images.select_related("image")],
        "author": person_evidence(post.author),
        "created_at": moderation.iso(post.created_at),
        "updated_at": moderation.iso(post.updated_at),
        "hidden_at": moderation.iso(post.hidden_at),
    }


def _comment_snapshot(comment: Comment) -> dict[str, Any]:
    return {
        "uuid": str(comment.uuid),
        "text": comment.text,
        "post": str(comment.post.uuid),
        "author": person_evidence(comment.author),
        "created_at": moderation.iso(comment.created_at),
        "updated_at": moderation.iso(comment.updated_at),
        "hidden_at": moderation.iso(comment.hidden_at),
    }


def _reply_snapshot(reply: Reply) -> dict[str, Any]:
    return {
        "uuid": str(reply.uuid),
        "text": reply.text,
        "comment": str(reply.comment.uuid),
        "post": str(reply.comment.post.uuid),
        "author": person_evidence(reply.author),
        "created_at": moderation.iso(reply.created_at),
        "updated_at": moderation.iso(reply.updated_at),
        "hidden_at": moderation.iso(reply.hidden_at),
    }


def register() -> None:
    post_related = ("author",)
    comment_related = ("author", "post")
    reply_related = ("author", "comment__post")
    moderation.register(
        moderation.ContentKind(
            name="post",
            find_for_viewer=moderation.finder(_post_visible, post_related),
            get=moderation.getter(Post, post_related),
            author=lambda post: post.author,
            snapshot=_post_snapshot,
            ref=lambda post: str(post.uuid),
            set_hidden=post_set_hidden,
        )
    )
    moderation.register(
        moderation.ContentKind(
            name="comment",
            find_for_viewer=moderation.finder(_comment_visible, comment_related),
            get=moderation.getter(Comment, comment_related),
            author=lambda comment: comment.author,
            snapshot=_comment_snapshot,
            ref=lambda comment: str(comment.uuid),
            set_hidden=lambda pk, hidden: moderation.set_hidden_at(Comment, pk, hidden),
        )
    )
    moderation.register(
        moderation.ContentKind(
            name="reply",
            find_for_viewer=moderation.finder(_reply_visible, reply_related),
            get=moderation.getter(Reply, reply_related),
            author=lambda reply: reply.author,
            snapshot=_reply_snapshot,
            ref=lambda reply: str(reply.uuid),
            set_hidden=lambda pk, hidden: moderation.set_hidden_at(Reply, pk, hidden),
        )
    )
