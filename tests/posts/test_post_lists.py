from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from tangerine.accounts.models import Block, Mute, User
from tangerine.follows.services import follow_create, follow_delete
from tangerine.posts.models import Mention, Post, PostImage, PostLike, PostTag
from tests.factories import ImageFactory, bulk_posts, make_post

pytestmark = pytest.mark.django_db

AsUser = Callable[[User], APIClient]


def texts(response: Any) -> list[str]:
    assert response.status_code == 200, response.json()
    return [post["text"] for post in response.json()["results"]]


def walk(client: APIClient, url: str) -> list[str]:
    seen: list[str] = []
    while url:
        body = client.get(url).json()
        seen += [p["text"] for p in body["results"]]
        url = body["next"]
    return seen


def test_latest_is_newest_first_published_only(alice: User, bob: User, anon: APIClient) -> None:
    make_post(alice, text="one")
    make_post(bob, text="two")
    make_post(alice, text="draft", status="draft")
    make_post(alice, text="three")
    assert texts(anon.get("/api/posts/latest/")) == ["three", "two", "one"]
    body = anon.get("/api/posts/latest/").json()
    assert set(body) == {"next", "previous", "results"}


def test_latest_hides_hidden_suspended_blocked_and_muted(
    alice: User, bob: User, carol: User, make_user: Callable[..., User], as_user: AsUser
) -> None:
    dave = make_user(handle="dave")
    eve = make_user(handle="eve")
    make_post(alice, text="alice")
    hidden = make_post(bob, text="hidden")
    Post.objects.filter(pk=hidden.pk).update(hidden_at=timezone.now())
    make_post(carol, text="carol")
    make_post(dave, text="dave")
    make_post(eve, text="eve-suspended")
    User.objects.filter(pk=eve.pk).update(suspended_at=timezone.now())
    Block.objects.create(blocker=carol, blocked=bob)  # carol blocked bob: bob must not see her
    Mute.objects.create(muter=bob, muted=dave)
    assert texts(as_user(bob).get("/api/posts/latest/")) == ["alice"]
    assert texts(APIClient().get("/api/posts/latest/")) == ["dave", "carol", "alice"]


def test_a_users_latest_shows_drafts_only_to_that_user(
    alice: User, bob: User, as_user: AsUser, anon: APIClient
) -> None:
    make_post(alice, text="pub")
    make_post(alice, text="draft", status="draft")
    make_post(bob, text="bob")
    assert texts(anon.get("/api/posts/latest/alice/")) == ["pub"]
    assert texts(as_user(bob).get("/api/posts/latest/ALICE/")) == ["pub"]
    assert texts(as_user(alice).get("/api/posts/latest/alice/")) == ["draft", "pub"]
    assert anon.get("/api/posts/latest/nobody_here/").status_code == 404


def test_feed_has_followed_users_and_mine_without_muted(
    alice: User, bob: User, carol: User, make_user: Callable[..., User], as_user: AsUser
) -> None:
    dave = make_user(handle="dave")
    follow_create(follower=bob, followee=alice)
    follow_create(follower=bob, followee=dave)
    make_post(alice, text="alice")
    make_post(carol, text="stranger")
    make_post(bob, text="mine")
    make_post(bob, text="my draft", status="draft")
    make_post(dave, text="dave")
    client = as_user(bob)
    assert texts(client.get("/api/posts/feed/")) == ["dave", "mine", "alice"]
    Mute.objects.create(muter=bob, muted=dave)
    assert texts(client.get("/api/posts/feed/")) == ["mine", "alice"]
    follow_delete(follower=bob, followee=alice)
    assert texts(client.get("/api/posts/feed/")) == ["mine"]
    assert APIClient().get("/api/posts/feed/").status_code == 401


def test_cursor_never_skips_or_repeats_while_new_posts_arrive(
    alice: User, bob: User, as_user: AsUser
) -> None:
    follow_create(follower=bob, followee=alice)
    # Many posts share one timestamp so the (created_at, id) tie-break is exercised too.
    same_time = timezone.now()
    for i in range(25):
        post = make_post(alice, text=f"old {i:02d}")
        if i % 2:
            Post.objects.filter(pk=post.pk).update(created_at=same_time)
    client = as_user(bob)
    for url in ("/api/posts/feed/?page_size=4", "/api/posts/latest/?page_size=4"):
        expected = walk(client, url.replace("=4", "=100"))
        assert len(expected) == len(set(expected)) >= 25
        seen: list[str] = []
        body = client.get(url).json()
        n = 0
        while True:
            seen += [p["text"] for p in body["results"]]
            make_post(alice, text=f"new {url[-30:]} {n}")  # arrives at the top meanwhile
            n += 1
            if not body["next"]:
                break
            body = client.get(body["next"]).json()
        assert seen == expected, url


def test_page_size_is_capped(alice: User, anon: APIClient) -> None:
    bulk_posts(alice, 105)
    assert len(anon.get("/api/posts/latest/?page_size=1000").json()["results"]) == 100


def _rich_posts(author: User, n: int, likers: list[User]) -> None:
    """Posts with tags, images and likes, so every prefetch and annotation is exercised."""
    posts = bulk_posts(author, n)
    image = ImageFactory.create(owner=author)
    PostImage.objects.bulk_create([PostImage(post=p, image=image, position=0) for p in posts])
    PostTag.objects.bulk_create(
        [PostTag(post=p, tag=t, position=i) for p in posts for i, t in enumerate(_tags())]
    )
    PostLike.objects.bulk_create([PostLike(user=u, post=p) for p in posts for u in likers])
    Mention.objects.bulk_create([Mention(post=p, user=u) for p in posts for u in likers])


def _tags() -> list[Any]:
    from tangerine.posts.models import Tag

    return [Tag.objects.get_or_create(name=n)[0] for n in ("a", "b")]


def sep(path: str) -> str:
    return "&" if "?" in path else "?"


@pytest.mark.parametrize(
    ("path", "who", "queries"),
    [
        # auth user + page (tags, images and visible mentions are columns of it: posts.cards)
        ("/api/posts/latest/", "bob", 2),
        # page (anonymous: no user lookup)
        ("/api/posts/latest/", "anon", 1),
        # auth user + profile owner + page
        ("/api/posts/latest/alice/", "bob", 3),
        ("/api/posts/feed/", "bob", 2),
        # auth user + page of the tag's posts
        ("/api/posts/p/?tag=a", "bob", 2),
        ("/api/posts/p/?tag=%23A", "anon", 1),
    ],
)
def test_post_lists_cost_a_fixed_number_of_queries(
    alice: User,
    bob: User,
    carol: User,
    as_user: AsUser,
    django_assert_num_queries: Any,
    path: str,
    who: str,
    queries: int,
) -> None:
    follow_create(follower=bob, followee=alice)
    client = as_user(bob) if who == "bob" else APIClient()
    _rich_posts(alice, 4, [bob, carol])
    for page_size in (2, 20):
        with django_assert_num_queries(queries):
            response = client.get(f"{path}{sep(path)}page_size={page_size}")
        assert len(response.json()["results"]) == min(page_size, 4)
    _rich_posts(alice, 16, [bob, carol])  # five times the rows
    with django_assert_num_queries(queries):
        response = client.get(f"{path}{sep(path)}page_size=10")
    results = response.json()["results"]
    assert len(results) == 10
    assert all(p["liked"] is (who == "bob") for p in results)
    assert all(p["like_count"] == 0 for p in results)  # bulk rows: counter untouched
    assert all(p["tags"] == ["a", "b"] and len(p["images"]) == 1 for p in results)
    assert all(len(p["mentions"]) == 2 for p in results)
    next_url = response.json()["next"]
    with django_assert_num_queries(queries):
        client.get(next_url)
