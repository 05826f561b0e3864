"""Counters stay exact when many users like and unlike at once (real PostgreSQL, threads)."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection
from django.http import Http404

from tangerine.accounts.models import User
from tangerine.posts import services
from tangerine.posts.models import Post, PostLike
from tests.factories import UserFactory, make_comment, make_post

THREADS = 50


def _in_parallel(users: list[User], action: Callable[[User], object]) -> None:
    barrier = threading.Barrier(len(users))

    def run(user: User) -> None:
        try:
            barrier.wait(timeout=30)
            action(user)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=len(users)) as pool:
        for future in [pool.submit(run, user) for user in users]:
            future.result()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_fifty_parallel_likes_then_unlikes_are_exact() -> None:
    author = UserFactory.create()
    post = make_post(author)
    users = [UserFactory.create() for _ in range(THREADS)]
    _in_parallel(users, lambda u: services.like_create(kind=services.POST, user=u, target=post))
    post.refresh_from_db()
    assert post.like_count == PostLike.objects.filter(post=post).count() == THREADS
    # The same users again: idempotent, nothing changes.
    _in_parallel(users, lambda u: services.like_create(kind=services.POST, user=u, target=post))
    post.refresh_from_db()
    assert post.like_count == THREADS
    _in_parallel(users, lambda u: services.like_delete(kind=services.POST, user=u, target=post))
    post.refresh_from_db()
    assert post.like_count == 0
    assert not PostLike.objects.exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_replies_and_a_comment_delete_keep_the_post_count_exact() -> None:
    author = UserFactory.create()
    post = make_post(author)
    keep = make_comment(post, author)
    doomed = make_comment(post, author)
    users = [UserFactory.create() for _ in range(20)]

    def act(user: User) -> None:
        if user is users[0]:
            services.comment_delete(comment=doomed)
            return
        target = keep if user.pk % 2 else doomed
        # If the comment was deleted first, that user gets a 404 and nothing is counted.
        with contextlib.suppress(Http404):
            services.reply_create(comment=target, author=user, text="동시에")

    _in_parallel(users, act)
    post = Post.objects.get(pk=post.pk)
    keep.refresh_from_db()
    assert post.comment_count == 1 + keep.reply_count
    assert keep.reply_count == keep.replies.count()
