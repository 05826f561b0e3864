"""Everything that rings a bell: the writes of other apps that notify someone.

Connected in ``NotificationsConfig.ready``. Each receiver runs inside the sender's transaction,
so a notification is stored together with the like, comment or follow that caused it (and the
socket push waits for the commit, in ``notification_create``).
"""

from __future__ import annotations

from tangerine.follows import hooks as follows
from tangerine.notifications import services
from tangerine.posts import hooks as posts
from tangerine.posts.models import Comment, Post, Reply


def _on_followed(event: follows.Followed) -> None:
    services.notify_follow(follower=event.follower, followee=event.followee)


def _on_comment(event: posts.CommentCreated) -> None:
    services.notify_comment(comment=event.comment)


def _on_reply(event: posts.ReplyCreated) -> None:
    services.notify_reply(reply=event.reply)


def _on_liked(event: posts.Liked) -> None:
    target = event.target
    if isinstance(target, Post):
        services.notify_post_liked(user=event.user, post=target)
    elif isinstance(target, Comment):
        services.notify_comment_liked(user=event.user, comment=target)
    elif isinstance(target, Reply):
        services.notify_reply_liked(user=event.user, reply=target)


def connect() -> None:
    follows.followed.connect(_on_followed)
    posts.comment_created.connect(_on_comment)
    posts.reply_created.connect(_on_reply)
    posts.liked.connect(_on_liked)
