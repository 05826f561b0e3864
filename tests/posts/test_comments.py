from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from tangerine.accounts.models import Block, User
from tangerine.posts.models import Comment, CommentLike, Post, Reply, ReplyLike
from tests.factories import make_comment, make_post, make_reply

pytestmark = pytest.mark.django_db

AsUser = Callable[[User], APIClient]


def counts(post: Post) -> int:
    post.refresh_from_db()
    return post.comment_count


def test_comment_on_a_post_and_read_them_oldest_first(
    alice_post: Post, bob: User, carol: User, as_user: AsUser, anon: APIClient
) -> None:
    response = as_user(bob).post(
        "/api/comments/", {"post": str(alice_post.uuid), "text": "첫 댓글 first"}
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert set(body) == {
        "uuid", "post", "author", "text", "mentions", "like_count", "liked", "reply_count",
        "created_at", "updated_at", "edited_at",
    }  # fmt: skip
    assert body["post"] == str(alice_post.uuid)
    assert body["author"]["handle"] == "bob"
    as_user(carol).post("/api/comments/", {"post": str(alice_post.uuid), "text": "second"})
    listed = anon.get(f"/api/comments/?post={alice_post.uuid}").json()
    assert [c["text"] for c in listed["results"]] == ["첫 댓글 first", "second"]
    assert counts(alice_post) == 2


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"text": "no post"}, 400),
        ({"post": "not-a-uuid", "text": "x"}, 400),
        ({"post": str(uuid.uuid4()), "text": "x"}, 404),
        ({"post": None, "text": "x" * 1001}, 400),
        ({"post": None, "text": ""}, 400),
        ({"post": None}, 400),
    ],
)
def test_bad_comments_are_refused(
    alice_post: Post, bob: User, as_user: AsUser, body: dict[str, Any], status: int
) -> None:
    if body.get("post", "") is None:
        body["post"] = str(alice_post.uuid)
    assert as_user(bob).post("/api/comments/", body).status_code == status
    assert counts(alice_post) == 0


def test_anonymous_cannot_comment(alice_post: Post, anon: APIClient) -> None:
    response = anon.post("/api/comments/", {"post": str(alice_post.uuid), "text": "x"})
    assert response.status_code == 401


def test_cannot_comment_on_or_read_comments_of_posts_you_cannot_see(
    alice: User, bob: User, as_user: AsUser
) -> None:
    draft = make_post(alice, status="draft")
    response = as_user(bob).post("/api/comments/", {"post": str(draft.uuid), "text": "x"})
    assert response.status_code == 404
    assert as_user(bob).get(f"/api/comments/?post={draft.uuid}").status_code == 404
    public = make_post(alice)
    make_comment(public, alice)
    Block.objects.create(blocker=alice, blocked=bob)
    response = as_user(bob).post("/api/comments/", {"post": str(public.uuid), "text": "x"})
    assert response.status_code == 404
    assert as_user(bob).get(f"/api/comments/?post={public.uuid}").status_code == 404


def test_comment_list_needs_a_post_and_404s_on_bad_uuids(anon: APIClient) -> None:
    assert anon.get("/api/comments/").status_code == 400
    assert anon.get("/api/comments/?post=nope").status_code == 404
    assert anon.get(f"/api/comments/?post={uuid.uuid4()}").status_code == 404


def test_comments_of_blocked_suspended_or_hidden_authors_are_not_listed(
    alice_post: Post, bob: User, carol: User, make_user: Callable[..., User], as_user: AsUser
) -> None:
    dave = make_user(handle="dave")
    make_comment(alice_post, bob, "bob")
    hidden = make_comment(alice_post, carol, "hidden")
    Comment.objects.filter(pk=hidden.pk).update(hidden_at=timezone.now())
    make_comment(alice_post, dave, "dave")
    User.objects.filter(pk=dave.pk).update(suspended_at=timezone.now())
    make_comment(alice_post, carol, "carol")
    Block.objects.create(blocker=carol, blocked=bob)
    listed = as_user(bob).get(f"/api/comments/?post={alice_post.uuid}").json()["results"]
    assert [c["text"] for c in listed] == ["bob"]


def test_only_the_author_edits_a_comment(
    alice_post: Post, alice: User, bob: User, as_user: AsUser
) -> None:
    comment = make_comment(alice_post, bob)
    url = f"/api/comments/{comment.uuid}/"
    assert as_user(alice).patch(url, {"text": "no"}).status_code == 403
    assert APIClient().patch(url, {"text": "no"}).status_code == 401
    assert as_user(bob).patch(url, {"text": "x" * 1001}).status_code == 400
    response = as_user(bob).patch(url, {"text": "수정 edited"})
    assert response.status_code == 200
    assert response.json()["text"] == "수정 edited"
    assert as_user(bob).patch("/api/comments/bad-uuid/", {"text": "x"}).status_code == 404


def test_the_author_or_the_posts_author_deletes_a_comment_with_its_replies(
    alice_post: Post, alice: User, bob: User, carol: User, as_user: AsUser
) -> None:
    first = make_comment(alice_post, bob)
    make_reply(first, carol)
    make_reply(first, alice)
    second = make_comment(alice_post, carol)
    assert counts(alice_post) == 4
    assert as_user(carol).delete(f"/api/comments/{first.uuid}/").status_code == 403
    assert as_user(alice).delete(f"/api/comments/{first.uuid}/").status_code == 204
    assert counts(alice_post) == 1
    assert not Reply.objects.exists()
    assert as_user(carol).delete(f"/api/comments/{second.uuid}/").status_code == 204
    assert counts(alice_post) == 0
    assert as_user(carol).delete(f"/api/comments/{second.uuid}/").status_code == 404


def test_replies_count_on_the_comment_and_the_post(
    alice_post: Post, alice: User, bob: User, carol: User, as_user: AsUser, anon: APIClient
) -> None:
    comment = make_comment(alice_post, bob)
    url = f"/api/comments/{comment.uuid}/replies/"
    response = as_user(carol).post(url, {"text": "답글 reply"})
    assert response.status_code == 201, response.json()
    body = response.json()
    assert set(body) == {
        "uuid", "comment", "post", "author", "text", "mentions", "like_count", "liked",
        "created_at", "updated_at", "edited_at",
    }  # fmt: skip
    assert (body["comment"], body["post"]) == (str(comment.uuid), str(alice_post.uuid))
    as_user(alice).post(url, {"text": "second"})
    assert anon.post(url, {"text": "x"}).status_code == 401
    assert as_user(bob).post(url, {"text": "x" * 1001}).status_code == 400
    assert [r["text"] for r in anon.get(url).json()["results"]] == ["답글 reply", "second"]
    comment.refresh_from_db()
    assert comment.reply_count == 2
    assert counts(alice_post) == 3
    assert anon.get(f"/api/comments/{comment.uuid}/").json()["reply_count"] == 2
    assert anon.get(f"/api/comments/{uuid.uuid4()}/replies/").status_code == 404


def test_reply_edit_and_delete_permissions_and_counters(
    alice_post: Post, alice: User, bob: User, carol: User, as_user: AsUser
) -> None:
    comment = make_comment(alice_post, bob)
    mine = make_reply(comment, carol)
    other = make_reply(comment, carol)
    url = f"/api/replies/{mine.uuid}/"
    assert as_user(bob).patch(url, {"text": "no"}).status_code == 403
    assert as_user(carol).patch(url, {"text": "고침"}).json()["text"] == "고침"
    assert as_user(bob).delete(url).status_code == 403  # the comment's author may not
    assert as_user(carol).delete(url).status_code == 204
    assert as_user(alice).delete(f"/api/replies/{other.uuid}/").status_code == 204  # post author
    comment.refresh_from_db()
    assert comment.reply_count == 0
    assert counts(alice_post) == 1
    assert as_user(carol).delete(url).status_code == 404
    assert as_user(carol).delete("/api/replies/zzz/").status_code == 404


def test_a_users_comments_newest_first_only_on_visible_posts(
    alice: User, bob: User, carol: User, as_user: AsUser, anon: APIClient
) -> None:
    public = make_post(alice)
    draft = make_post(bob, status="draft")
    make_comment(public, bob, "old")
    make_comment(draft, bob, "on my draft")
    make_comment(public, bob, "new")
    assert [c["text"] for c in anon.get("/api/comments/user/?handle=bob").json()["results"]] == [
        "new",
        "old",
    ]
    mine = as_user(bob).get("/api/comments/user/?handle=bob").json()["results"]
    assert [c["text"] for c in mine] == ["new", "on my draft", "old"]
    assert anon.get("/api/comments/user/").status_code == 400
    assert anon.get("/api/comments/user/?handle=ghost").status_code == 404


def _many_comments(
    post: Post, authors: list[User], n: int, likers: list[User], thread: Comment | None = None
) -> None:
    """n comments with likes, and n liked replies under ``thread`` (default: the first one)."""
    comments = Comment.objects.bulk_create(
        [Comment(post=post, author=authors[i % len(authors)], text=f"c{i}") for i in range(n)]
    )
    CommentLike.objects.bulk_create(
        [CommentLike(user=u, comment=c) for c in comments for u in likers]
    )
    replies = Reply.objects.bulk_create(
        [
            Reply(comment=thread or comments[0], author=authors[i % len(authors)], text=f"r{i}")
            for i in range(n)
        ]
    )
    ReplyLike.objects.bulk_create([ReplyLike(user=u, reply=r) for r in replies for u in likers])


@pytest.mark.parametrize("who", ["anon", "bob"])
def test_comment_and_reply_lists_cost_a_fixed_number_of_queries(
    alice_post: Post,
    alice: User,
    bob: User,
    carol: User,
    as_user: AsUser,
    django_assert_num_queries: Any,
    who: str,
) -> None:
    client = as_user(bob) if who == "bob" else APIClient()
    auth = 1 if who == "bob" else 0
    _many_comments(alice_post, [alice, carol], 4, [bob])
    first = Comment.objects.order_by("id").first()
    assert first is not None
    urls = {
        # the post's visibility + the page of comments (mentions are a column of it)
        f"/api/comments/?post={alice_post.uuid}": 2,
        # the comment (with its mentions) + the page of replies (with theirs)
        f"/api/comments/{first.uuid}/replies/": 2,
        # the user + the page of comments
        "/api/comments/user/?handle=carol": 2,
    }
    for url, queries in urls.items():
        with django_assert_num_queries(auth + queries):
            small = client.get(f"{url}&page_size=2" if "?" in url else f"{url}?page_size=2")
        assert len(small.json()["results"]) == 2
    _many_comments(alice_post, [alice, carol], 16, [bob], first)  # five times the rows
    for url, queries in urls.items():
        with django_assert_num_queries(auth + queries):
            big = client.get(f"{url}&page_size=8" if "?" in url else f"{url}?page_size=8")
        results = big.json()["results"]
        assert len(results) == 8
        assert all(item["liked"] is (who == "bob") for item in results)
