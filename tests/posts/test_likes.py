from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import pytest
from rest_framework.test import APIClient

from tangerine.accounts.models import Block, User
from tangerine.follows.services import follow_create
from tangerine.posts.models import Comment, CommentLike, Post, PostLike, Reply, ReplyLike
from tests.factories import bulk_posts, make_comment, make_post, make_reply

pytestmark = pytest.mark.django_db

AsUser = Callable[[User], APIClient]


def test_like_and_unlike_a_post_idempotently(
    alice_post: Post, bob: User, carol: User, as_user: AsUser
) -> None:
    bob_client = as_user(bob)
    body = {"post": str(alice_post.uuid)}
    assert bob_client.post("/api/likes/post-likes/", body).json() == {
        "like_count": 1,
        "liked": True,
    }
    assert bob_client.post("/api/likes/post-likes/", body).json() == {
        "like_count": 1,
        "liked": True,
    }
    assert as_user(carol).post("/api/likes/post-likes/", body).json()["like_count"] == 2
    assert bob_client.get(f"/api/posts/p/{alice_post.uuid}/").json()["liked"] is True
    url = f"/api/likes/post-likes/{alice_post.uuid}/"
    assert bob_client.delete(url).json() == {"like_count": 1, "liked": False}
    assert bob_client.delete(url).json() == {"like_count": 1, "liked": False}
    assert bob_client.get(url).json() == {"like_count": 1, "liked": False}
    assert as_user(carol).get(url).json() == {"like_count": 1, "liked": True}
    assert APIClient().get(url).json() == {"like_count": 1, "liked": False}
    alice_post.refresh_from_db()
    assert alice_post.like_count == PostLike.objects.count() == 1


def test_likes_need_login_and_a_visible_target(
    alice: User, bob: User, as_user: AsUser, anon: APIClient
) -> None:
    post = make_post(alice)
    draft = make_post(alice, status="draft")
    assert anon.post("/api/likes/post-likes/", {"post": str(post.uuid)}).status_code == 401
    assert anon.delete(f"/api/likes/post-likes/{post.uuid}/").status_code == 401
    client = as_user(bob)
    assert client.post("/api/likes/post-likes/", {"post": str(draft.uuid)}).status_code == 404
    assert client.post("/api/likes/post-likes/", {"post": str(uuid.uuid4())}).status_code == 404
    assert client.post("/api/likes/post-likes/", {"post": "nope"}).status_code == 400
    assert client.post("/api/likes/post-likes/", {}).status_code == 400
    assert client.delete("/api/likes/post-likes/nope/").status_code == 404
    assert client.get(f"/api/likes/post-likes/{uuid.uuid4()}/").status_code == 404
    Block.objects.create(blocker=alice, blocked=bob)
    assert client.post("/api/likes/post-likes/", {"post": str(post.uuid)}).status_code == 404
    assert not PostLike.objects.exists()


def test_comment_and_reply_likes(
    alice_post: Post, alice: User, bob: User, carol: User, as_user: AsUser, anon: APIClient
) -> None:
    comment = make_comment(alice_post, bob)
    reply = make_reply(comment, carol)
    alice_client = as_user(alice)
    response = alice_client.post("/api/likes/comment-likes/", {"comment": str(comment.uuid)})
    assert response.json() == {"like_count": 1, "liked": True}
    alice_client.post("/api/likes/comment-likes/", {"comment": str(comment.uuid)})
    response = alice_client.post("/api/likes/reply-likes/", {"reply": str(reply.uuid)})
    assert response.json() == {"like_count": 1, "liked": True}
    assert anon.get(f"/api/likes/comment-likes/{comment.uuid}/").json() == {
        "like_count": 1,
        "liked": False,
    }
    assert alice_client.get(f"/api/likes/reply-likes/{reply.uuid}/").json()["liked"] is True
    listed = alice_client.get(f"/api/comments/?post={alice_post.uuid}").json()["results"]
    assert (listed[0]["liked"], listed[0]["like_count"]) == (True, 1)
    replies = alice_client.get(f"/api/comments/{comment.uuid}/replies/").json()["results"]
    assert (replies[0]["liked"], replies[0]["like_count"]) == (True, 1)
    assert anon.get(f"/api/comments/{comment.uuid}/replies/").json()["results"][0]["liked"] is False
    assert alice_client.delete(f"/api/likes/comment-likes/{comment.uuid}/").json() == {
        "like_count": 0,
        "liked": False,
    }
    assert alice_client.delete(f"/api/likes/reply-likes/{reply.uuid}/").json()["like_count"] == 0
    assert anon.post("/api/likes/reply-likes/", {"reply": str(reply.uuid)}).status_code == 401
    assert alice_client.post("/api/likes/reply-likes/", {"reply": "x"}).status_code == 400
    missing = {"comment": str(uuid.uuid4())}
    assert alice_client.post("/api/likes/comment-likes/", missing).status_code == 404


def test_who_liked_a_post_and_what_a_user_liked(
    alice: User, bob: User, carol: User, as_user: AsUser, anon: APIClient
) -> None:
    first = make_post(alice, text="first")
    second = make_post(alice, text="second")
    draft = make_post(alice, text="draft", status="draft")
    as_user(bob).post("/api/likes/post-likes/", {"post": str(second.uuid)})
    as_user(bob).post("/api/likes/post-likes/", {"post": str(first.uuid)})
    as_user(carol).post("/api/likes/post-likes/", {"post": str(first.uuid)})
    as_user(alice).post("/api/likes/post-likes/", {"post": str(draft.uuid)})
    follow_create(follower=carol, followee=bob)

    likers = as_user(carol).get(f"/api/likes/post-likes/?post={first.uuid}").json()
    assert [(u["handle"], u["is_following"]) for u in likers["results"]] == [
        ("carol", False),
        ("bob", True),
    ]
    liked = anon.get("/api/likes/post-likes/?handle=bob").json()["results"]
    assert [p["text"] for p in liked] == ["first", "second"]  # newest like first
    assert all(p["liked"] is False for p in liked)  # anonymous viewer
    liked = as_user(carol).get("/api/likes/post-likes/?handle=bob").json()["results"]
    assert [p["liked"] for p in liked] == [True, False]  # carol's own likes
    # alice liked her own draft: nobody else learns it exists
    assert anon.get("/api/likes/post-likes/?handle=alice").json()["results"] == []
    mine = as_user(alice).get("/api/likes/post-likes/?handle=alice").json()["results"]
    assert [p["text"] for p in mine] == ["draft"]
    assert anon.get("/api/likes/post-likes/").status_code == 400
    both = f"/api/likes/post-likes/?post={first.uuid}&handle=bob"
    assert anon.get(both).status_code == 400
    assert anon.get("/api/likes/post-likes/?handle=ghost").status_code == 404
    assert anon.get("/api/likes/post-likes/?post=bad").status_code == 404
    assert anon.get(f"/api/likes/post-likes/?post={draft.uuid}").status_code == 404


def test_likers_list_hides_blocked_users(
    alice_post: Post, bob: User, carol: User, as_user: AsUser
) -> None:
    as_user(bob).post("/api/likes/post-likes/", {"post": str(alice_post.uuid)})
    as_user(carol).post("/api/likes/post-likes/", {"post": str(alice_post.uuid)})
    Block.objects.create(blocker=carol, blocked=bob)
    response = as_user(bob).get(f"/api/likes/post-likes/?post={alice_post.uuid}")
    assert [u["handle"] for u in response.json()["results"]] == ["bob"]


def test_comment_and_reply_like_lists(
    alice_post: Post, alice: User, bob: User, carol: User, as_user: AsUser, anon: APIClient
) -> None:
    comment = make_comment(alice_post, bob, "c")
    reply = make_reply(comment, carol, "r")
    as_user(alice).post("/api/likes/comment-likes/", {"comment": str(comment.uuid)})
    as_user(alice).post("/api/likes/reply-likes/", {"reply": str(reply.uuid)})
    users = anon.get(f"/api/likes/comment-likes/?comment={comment.uuid}").json()["results"]
    assert [u["handle"] for u in users] == ["alice"]
    users = anon.get(f"/api/likes/reply-likes/?reply={reply.uuid}").json()["results"]
    assert [u["handle"] for u in users] == ["alice"]
    comments = as_user(alice).get("/api/likes/comment-likes/?handle=alice").json()["results"]
    assert [(c["text"], c["liked"]) for c in comments] == [("c", True)]
    replies = anon.get("/api/likes/reply-likes/?handle=alice").json()["results"]
    assert [(r["text"], r["liked"], r["comment"]) for r in replies] == [
        ("r", False, str(comment.uuid))
    ]


def _likes_everywhere(posts: list[Post], users: list[User]) -> None:
    PostLike.objects.bulk_create([PostLike(user=u, post=p) for p in posts for u in users])
    comments = Comment.objects.bulk_create(
        [Comment(post=p, author=users[0], text="c") for p in posts]
    )
    CommentLike.objects.bulk_create(
        [CommentLike(user=u, comment=c) for c in comments for u in users]
    )
    replies = Reply.objects.bulk_create(
        [Reply(comment=c, author=users[0], text="r") for c in comments]
    )
    ReplyLike.objects.bulk_create([ReplyLike(user=u, reply=r) for r in replies for u in users])


@pytest.mark.parametrize("who", ["anon", "carol"])
def test_like_lists_cost_a_fixed_number_of_queries(
    alice: User,
    bob: User,
    carol: User,
    make_user: Callable[..., User],
    as_user: AsUser,
    django_assert_num_queries: Any,
    who: str,
) -> None:
    client = as_user(carol) if who == "carol" else APIClient()
    auth = 1 if who == "carol" else 0
    target = make_post(alice, tags=["x"])
    target_comment = make_comment(target, alice)
    target_reply = make_reply(target_comment, alice)

    def grow(n: int) -> None:
        likers = [make_user() for _ in range(n)]
        PostLike.objects.bulk_create([PostLike(user=u, post=target) for u in likers])
        CommentLike.objects.bulk_create(
            [CommentLike(user=u, comment=target_comment) for u in likers]
        )
        ReplyLike.objects.bulk_create([ReplyLike(user=u, reply=target_reply) for u in likers])
        _likes_everywhere(bulk_posts(alice, n), [bob, carol])

    urls = {
        # the target's visibility + the page of likes with users
        f"/api/likes/post-likes/?post={target.uuid}": 2,
        # the comment or reply (its mentions a column of it) + the page of likes with users
        f"/api/likes/comment-likes/?comment={target_comment.uuid}": 2,
        f"/api/likes/reply-likes/?reply={target_reply.uuid}": 2,
        # the user + the page of likes with posts + tags + images + mentions
        "/api/likes/post-likes/?handle=bob": 5,
        # the user + the page of likes with comments or replies + their mentions
        "/api/likes/comment-likes/?handle=bob": 3,
        "/api/likes/reply-likes/?handle=bob": 3,
    }
    grow(3)
    for url, queries in urls.items():
        with django_assert_num_queries(auth + queries):
            response = client.get(f"{url}&page_size=2")
        assert len(response.json()["results"]) == 2, url
    grow(15)  # five times the rows
    for url, queries in urls.items():
        with django_assert_num_queries(auth + queries):
            response = client.get(f"{url}&page_size=10")
        assert len(response.json()["results"]) == 10, url
