from __future__ import annotations

import random
from collections.abc import Callable

import pytest
from rest_framework.test import APIClient

from tangerine.accounts.models import User
from tangerine.posts import demo
from tangerine.posts.models import Comment, Post, Reply
from tests.factories import make_comment, make_post, make_reply

pytestmark = pytest.mark.django_db


def test_demo_seed_makes_a_lively_consistent_feed(
    make_user: Callable[..., User], as_user: Callable[[User], APIClient]
) -> None:
    users = [make_user() for _ in range(6)]
    demo.seed(users=users, rng=random.Random(7), with_images=False)  # pictures: tests/core
    assert Post.objects.count() >= 30
    assert Post.objects.filter(category="food").exists()
    assert Post.objects.filter(text__contains="감귤").exists()
    assert Comment.objects.exists() and Reply.objects.exists()
    for post in Post.objects.all():
        assert post.like_count == post.likes.count()
        assert (
            post.comment_count
            == post.comments.count() + Reply.objects.filter(comment__post=post).count()
        )
    for user in User.objects.all():
        assert user.following_count == user.following_set.count()
    feed = as_user(users[0]).get("/api/posts/feed/").json()["results"]
    assert len(feed) > 3


def test_export_holds_my_posts_comments_and_replies(
    alice: User, bob: User, as_user: Callable[[User], APIClient]
) -> None:
    post = make_post(alice, title="내 글", tags=["b", "a"])
    comment = make_comment(post, alice, "내 댓글")
    make_reply(comment, alice, "내 답글")
    make_post(bob, text="not mine")
    response = as_user(alice).get("/api/accounts/export/")
    assert response.status_code == 200
    data = response.json()["posts"]
    assert [(p["title"], p["tags"]) for p in data["posts"]] == [("내 글", ["a", "b"])]
    assert [c["text"] for c in data["comments"]] == ["내 댓글"]
    assert [r["text"] for r in data["replies"]] == ["내 답글"]
