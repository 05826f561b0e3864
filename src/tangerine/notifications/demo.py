"""Demo notifications: what the other apps' demo data would have rung, so a fresh install's
bell is not empty. Called by the lead's ``seed_demo`` after the social demo data exists."""

from __future__ import annotations

import random
from typing import Any

from tangerine.notifications import services

MAX_PER_KIND = 40


def seed(*, users: list[Any], rng: random.Random) -> None:
    from tangerine.follows.models import Follow
    from tangerine.posts.models import Comment, PostLike, Reply

    ids = [user.pk for user in users]
    follows = list(
        Follow.objects.filter(follower_id__in=ids).select_related("follower", "followee")[
            :MAX_PER_KIND
        ]
    )
    for follow in follows:
        services.notify_follow(follower=follow.follower, followee=follow.followee)
    likes = list(
        PostLike.objects.filter(user_id__in=ids).select_related("user", "post__author")[
            :MAX_PER_KIND
        ]
    )
    for like in likes:
        services.notify_post_liked(user=like.user, post=like.post)
    comments = Comment.objects.filter(author_id__in=ids).select_related("author", "post__author")
    for comment in comments[:MAX_PER_KIND]:
        services.notify_comment(comment=comment)
    replies = Reply.objects.filter(author_id__in=ids).select_related(
        "author", "comment__author", "comment__post__author"
    )
    for reply in replies[:MAX_PER_KIND]:
        services.notify_reply(reply=reply)
    # Some read, some not, so the badge and the list both show something.
    for user in users:
        mine = list(user.notifications.values_list("uuid", flat=True))
        read = [value for value in mine if rng.random() < 0.5]
        services.notifications_mark_read(recipient=user, uuids=read)
