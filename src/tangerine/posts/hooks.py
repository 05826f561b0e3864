"""What posts announce to the apps above them (see ``core.hooks``): search indexes posts,
notifications tell the people concerned. Receivers connect in their app's ``receivers.py``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from tangerine.accounts.models import User
from tangerine.core.hooks import Hook
from tangerine.posts.models import Comment, Post, Reply


@dataclass(frozen=True)
class PostChanged:
    """A post was created, edited, hidden or shown again (its searchable state may differ)."""

    post_id: int


@dataclass(frozen=True)
class PostDeleted:
    post_id: int


@dataclass(frozen=True)
class CommentCreated:
    comment: Comment


@dataclass(frozen=True)
class ReplyCreated:
    reply: Reply


@dataclass(frozen=True)
class Liked:
    """``user`` newly liked ``target`` (a repeated like is not announced)."""

    kind: Literal["post", "comment", "reply"]
    user: User
    target: Post | Comment | Reply


@dataclass(frozen=True)
class Mentioned:
    """``author`` newly mentioned ``users`` (``@handle``) in ``target``: a post, comment or reply.

    Sent once per item and user: an edit announces only people it adds.
    """

    kind: Literal["post", "comment", "reply"]
    author: User
    target: Post | Comment | Reply
    users: tuple[User, ...]


post_changed: Hook[PostChanged] = Hook("posts.post_changed")
post_deleted: Hook[PostDeleted] = Hook("posts.post_deleted")
comment_created: Hook[CommentCreated] = Hook("posts.comment_created")
reply_created: Hook[ReplyCreated] = Hook("posts.reply_created")
liked: Hook[Liked] = Hook("posts.liked")
mentioned: Hook[Mentioned] = Hook("posts.mentioned")
