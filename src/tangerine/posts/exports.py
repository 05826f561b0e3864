""" "Download my data": the user's posts, comments and replies."""

from __future__ import annotations

from typing import Any

from tangerine.core import exports
from tangerine.posts.models import Comment, Post, Reply


def export_social(user: Any) -> dict[str, Any]:
    posts = Post.objects.filter(author=user).prefetch_related("tags").order_by("created_at", "id")
    comments = Comment.objects.filter(author=user).select_related("post").order_by("created_at")
    replies = Reply.objects.filter(author=user).select_related("comment").order_by("created_at")
    return {
        "posts": [
            {
                "uuid": str(post.uuid),
                "title": post.title,
                "text": post.text,
                "tags": sorted(tag.name for tag in post.tags.all()),
                "category": post.category,
                "status": post.status,
                "view_count": post.view_count,
                "like_count": post.like_count,
                "comment_count": post.comment_count,
                "created_at": post.created_at.isoformat(),
                "updated_at": post.updated_at.isoformat(),
            }
            for post in posts
        ],
        "comments": [
            {
                "uuid": str(comment.uuid),
                "post": str(comment.post.uuid),
                "text": comment.text,
                "created_at": comment.created_at.isoformat(),
            }
            for comment in comments
        ],
        "replies": [
            {
                "uuid": str(reply.uuid),
                "comment": str(reply.comment.uuid),
                "text": reply.text,
                "created_at": reply.created_at.isoformat(),
            }
            for reply in replies
        ],
    }


def register() -> None:
    exports.register(name="posts", exporter=export_social)
