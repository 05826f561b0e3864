"""Demo notifications: a fresh install's bell shows a believable history.

The demo's likes, comments, replies, follows, mentions and saves ring live through the hooks
while the other apps' demo steps run. This step rings only what did not ring yet (demo data
written without the hooks), dates each notification at the moment of what caused it (the demo
spreads posts and comments over two weeks) and marks the older ones mostly read, so both the
badge and the list show something. Run it after the posts and follows seeds.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

from tangerine.notifications import services
from tangerine.notifications.models import Notification

MAX_PER_KIND = 40


def _ring_missing(*, ids: list[int]) -> None:
    from tangerine.follows.models import Follow
    from tangerine.posts.models import Comment, PostLike, Reply

    rung = set(Notification.objects.filter(recipient_id__in=ids).values_list("kind", "target_uuid"))
    follows = Follow.objects.filter(follower_id__in=ids).select_related("follower", "followee")
    for follow in follows[:MAX_PER_KIND]:
        # Follows of one person group within the hour: ringing again adds no row.
        services.notify_follow(follower=follow.follower, followee=follow.followee)
    likes = PostLike.objects.filter(user_id__in=ids).select_related("user", "post__author")
    for like in likes[:MAX_PER_KIND]:
        if ("post_like", like.post.uuid) not in rung:
            services.notify_post_liked(user=like.user, post=like.post)
    comments = Comment.objects.filter(author_id__in=ids).select_related("author", "post__author")
    for comment in comments[:MAX_PER_KIND]:
        if ("comment", comment.uuid) not in rung:
            services.notify_comment(comment=comment)
    replies = Reply.objects.filter(author_id__in=ids).select_related(
        "author", "comment__author", "comment__post__author"
    )
    for reply in replies[:MAX_PER_KIND]:
        if ("reply", reply.uuid) not in rung:
            services.notify_reply(reply=reply)


def _backdate(*, ids: list[int], rng: random.Random) -> None:
    """Date each notification when its cause happened (its target's time, likes a little
    later), never in the future."""
    from tangerine.posts.models import Comment, Post, Reply

    now = timezone.now()
    when_made: dict[Any, datetime] = {}
    for model in (Post, Comment, Reply):
        when_made.update(model.objects.values_list("uuid", "created_at"))
    rows = list(Notification.objects.filter(recipient_id__in=ids))
    for row in rows:
        base = when_made.get(row.target_uuid) or when_made.get(row.post_uuid)
        if base is None:
            when = now - timedelta(minutes=rng.randint(30, 7 * 24 * 60))
        elif row.kind.endswith("_like"):
            when = base + timedelta(minutes=rng.randint(5, 12 * 60))
        else:
            when = base
        row.created_at = row.latest_at = min(when, now)
    Notification.objects.bulk_update(rows, ["created_at", "latest_at"], batch_size=500)


def seed(*, users: list[Any], rng: random.Random) -> None:
    ids = [user.pk for user in users]
    _ring_missing(ids=ids)
    _backdate(ids=ids, rng=rng)
    # Older ones mostly read, the last day's mostly not: the badge and the list both show some.
    day_ago = timezone.now() - timedelta(days=1)
    for user in users:
        mine = user.notifications.values_list("uuid", "latest_at")
        read = [
            value
            for value, at in mine
            if rng.random() < (0.8 if at is not None and at < day_ago else 0.2)
        ]
        services.notifications_mark_read(recipient=user, uuids=read)
