"""Notifications arise from the real API writes that cause them."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from rest_framework.test import APIClient

from tangerine.accounts.models import User
from tangerine.notifications.models import Notification
from tangerine.posts.models import Comment, Post

pytestmark = pytest.mark.django_db
Client = Callable[[User], APIClient]


def _kinds(user: User) -> list[str]:
    return list(
        Notification.objects.filter(recipient=user).order_by("id").values_list("kind", flat=True)
    )


def test_follow_like_comment_and_reply_notify_the_right_people(
    as_user: Client,
    alice: User,
    bob: User,
    carol: User,
    make_post: Callable[..., Post],
) -> None:
    post = make_post(alice)
    assert as_user(bob).post("/api/follows/", {"handle": "alice"}).status_code == 201
    assert as_user(bob).post("/api/likes/post-likes/", {"post": str(post.uuid)}).status_code in {
        200,
        201,
    }
    comment = as_user(bob).post("/api/comments/", {"post": str(post.uuid), "text": "좋아요!"})
    assert comment.status_code == 201
    reply = as_user(carol).post(
        f"/api/comments/{comment.json()['uuid']}/replies/", {"text": "me too"}
    )
    assert reply.status_code == 201
    assert _kinds(alice) == ["follow", "post_like", "comment", "reply"]
    assert _kinds(bob) == ["reply"]
    assert _kinds(carol) == []
    listed = as_user(alice).get("/api/notifications/").json()
    assert listed["unread_count"] == 4


def test_repeated_likes_and_own_actions_do_not_notify(
    as_user: Client, alice: User, bob: User, make_post: Callable[..., Post]
) -> None:
    post = make_post(alice)
    for _ in range(3):
        as_user(bob).post("/api/likes/post-likes/", {"post": str(post.uuid)})
    as_user(alice).post("/api/likes/post-likes/", {"post": str(post.uuid)})
    as_user(alice).post("/api/comments/", {"post": str(post.uuid), "text": "my own"})
    assert _kinds(alice) == ["post_like"]


def test_a_liked_comment_notifies_its_author(
    as_user: Client,
    alice: User,
    bob: User,
    make_post: Callable[..., Post],
    make_comment: Callable[..., Comment],
) -> None:
    comment = make_comment(make_post(alice), bob)
    response = as_user(alice).post("/api/likes/comment-likes/", {"comment": str(comment.uuid)})
    assert response.status_code in {200, 201}
    assert _kinds(bob) == ["comment_like"]


def test_the_reporter_hears_the_outcome(
    as_user: Client, alice: User, bob: User, mod: User, make_post: Callable[..., Post]
) -> None:
    post = make_post(alice)
    filed = as_user(bob).post(
        "/api/reports/", {"target_type": "post", "target": str(post.uuid), "reason": "spam"}
    )
    assert filed.status_code == 201
    url = f"/api/reports/{filed.json()['uuid']}/"
    assert as_user(mod).patch(url, {"status": "in_review"}).status_code == 200
    resolved = as_user(mod).patch(url, {"status": "resolved", "actions": ["hide_content"]})
    assert resolved.status_code == 200, resolved.json()
    assert _kinds(bob) == ["report_resolved"]
