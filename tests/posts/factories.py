"""Test data for posts: made through the services so counters stay true."""

from __future__ import annotations

from typing import Any

from tangerine.accounts.models import User
from tangerine.images.models import Image
from tangerine.posts import services
from tangerine.posts.models import Comment, Post, Reply


def make_post(author: User, text: str = "오늘의 기록 today", **kwargs: Any) -> Post:
    return services.post_create(author=author, text=text, **kwargs)


def make_comment(post: Post, author: User, text: str = "좋아요 nice") -> Comment:
    return services.comment_create(post=post, author=author, text=text)


def make_reply(comment: Comment, author: User, text: str = "감사 thanks") -> Reply:
    return services.reply_create(comment=comment, author=author, text=text)


def make_image(owner: User, status: str = Image.Status.READY, n: int = 0) -> Image:
    return Image.objects.create(
        owner=owner,
        status=status,
        content_type="image/jpeg",
        size=1000,
        key=f"uploads/{owner.pk}/{n}-{status}.jpg",
        width=10,
        height=10,
        variants=[{"key": f"v/{owner.pk}/{n}.jpg", "width": 10, "height": 10, "format": "jpeg"}],
    )


def bulk_posts(author: User, n: int, **kwargs: Any) -> list[Post]:
    """Many published posts quickly (no tags or images), for query-count tests."""
    return Post.objects.bulk_create(
        [Post(author=author, text=f"post {i}", **kwargs) for i in range(n)]
    )
