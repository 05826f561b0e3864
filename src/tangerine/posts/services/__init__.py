"""Writes for posts, comments, replies and likes (see each module's contract)."""

from tangerine.posts.services.cleanup import social_delete_for_user
from tangerine.posts.services.comments import (
    comment_create,
    comment_delete,
    comment_update,
    reply_create,
    reply_delete,
    reply_update,
)
from tangerine.posts.services.likes import (
    COMMENT,
    POST,
    REPLY,
    LikeKind,
    LikeState,
    like_create,
    like_delete,
    like_state,
)
from tangerine.posts.services.posts import (
    post_create,
    post_delete,
    post_update,
    post_view_count,
    tags_normalise,
)

__all__ = [
    "COMMENT",
    "POST",
    "REPLY",
    "LikeKind",
    "LikeState",
    "comment_create",
    "comment_delete",
    "comment_update",
    "like_create",
    "like_delete",
    "like_state",
    "post_create",
    "post_delete",
    "post_update",
    "post_view_count",
    "reply_create",
    "reply_delete",
    "reply_update",
    "social_delete_for_user",
    "tags_normalise",
]
