"""Tags keep the author's order; a tag's posts (GET /api/posts/p/?tag=); trending tags."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.core.cache import cache
from django.utils import timezone
from rest_framework.test import APIClient

from tangerine.accounts.models import User
from tangerine.accounts.services import block_create, mute_create
from tangerine.posts import services
from tangerine.posts.models import Post

pytestmark = pytest.mark.django_db

AsUser = Callable[[User], APIClient]
TRENDING = "/api/tags/trending/"


def post_with(author: User, *tags: str, **fields: Any) -> Post:
    return services.post_create(author=author, text="귤", tags=tags, **fields)


def texts(response: Any) -> list[str]:
    assert response.status_code == 200, response.content
    return [p["uuid"] for p in response.json()["results"]]


def test_tags_come_back_in_the_order_typed_also_after_an_edit(alice: User, as_user: AsUser) -> None:
    client = as_user(alice)
    body = client.post(
        "/api/posts/p/", {"text": "t", "tags": ["#제주", "Zebra", "apple", "zebra"]}, format="json"
    ).json()
    assert body["tags"] == ["제주", "zebra", "apple"]
    url = f"/api/posts/p/{body['uuid']}/"
    assert client.patch(url, {"tags": ["b", "a", "제주"]}, format="json").json()["tags"] == [
        "b",
        "a",
        "제주",
    ]
    assert client.get(url).json()["tags"] == ["b", "a", "제주"]


def test_a_tags_posts_newest_first_for_anyone_in_any_spelling(
    alice: User, bob: User, anon: APIClient
) -> None:
    older = post_with(alice, "감귤", "jeju")
    post_with(bob, "other")
    newer = post_with(bob, "Jeju")
    post_with(alice, "jeju", status=Post.Status.DRAFT)
    for query in ("jeju", "#JEJU", " Je ju "):
        assert texts(anon.get("/api/posts/p/", {"tag": query})) == [
            str(newer.uuid),
            str(older.uuid),
        ]
    assert texts(anon.get("/api/posts/p/", {"tag": "감귤"})) == [str(older.uuid)]


def test_an_unknown_or_overlong_tag_is_an_empty_page(anon: APIClient) -> None:
    assert texts(anon.get("/api/posts/p/", {"tag": "nothing_here"})) == []
    assert texts(anon.get("/api/posts/p/", {"tag": "x" * 300})) == []


@pytest.mark.parametrize("query", [{}, {"tag": ""}, {"tag": "   "}, {"tag": "#"}])
def test_a_missing_or_blank_tag_is_400_on_tag(anon: APIClient, query: dict[str, str]) -> None:
    response = anon.get("/api/posts/p/", query)
    assert response.status_code == 400
    assert "tag" in response.json()["fields"]


def test_a_tags_posts_leave_out_hidden_blocked_and_muted_authors(
    alice: User, bob: User, carol: User, make_user: Callable[..., User], as_user: AsUser
) -> None:
    dave = make_user(handle="dave")
    mine = post_with(alice, "jeju")
    post_with(bob, "jeju")
    post_with(carol, "jeju")
    post_with(
        dave,
        "jeju",
    )
    Post.objects.filter(author=dave).update(hidden_at=timezone.now())
    block_create(blocker=bob, blocked=alice)
    mute_create(muter=alice, muted=carol)
    assert texts(as_user(alice).get("/api/posts/p/", {"tag": "jeju"})) == [str(mine.uuid)]


def test_writing_still_needs_a_sign_in(anon: APIClient) -> None:
    assert anon.post("/api/posts/p/", {"text": "x"}, format="json").status_code == 401


def test_trending_counts_visible_posts_of_the_last_day_most_first(
    alice: User, bob: User, carol: User, anon: APIClient
) -> None:
    for _ in range(3):
        post_with(alice, "감귤", "jeju")
    post_with(bob, "jeju", "market")
    old = post_with(bob, "old", "market")
    Post.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(hours=25))
    hidden = post_with(carol, "hidden", "market")
    Post.objects.filter(pk=hidden.pk).update(hidden_at=timezone.now())
    post_with(carol, "draft", status=Post.Status.DRAFT)
    response = anon.get(TRENDING)
    assert response.status_code == 200
    assert response.json() == [
        {"name": "jeju", "post_count": 4},
        {"name": "감귤", "post_count": 3},
        {"name": "market", "post_count": 1},
    ]


def test_trending_is_cached_for_a_minute_and_costs_one_query(
    alice: User, anon: APIClient, django_assert_num_queries: Any
) -> None:
    post_with(alice, "a")
    with django_assert_num_queries(1):  # the grouped count
        assert anon.get(TRENDING).json() == [{"name": "a", "post_count": 1}]
    for _ in range(5):
        post_with(alice, "b")
    with django_assert_num_queries(0):  # served from the cache
        assert anon.get(TRENDING).json() == [{"name": "a", "post_count": 1}]
    cache.clear()  # the minute has passed
    with django_assert_num_queries(1):
        assert anon.get(TRENDING).json()[0] == {"name": "b", "post_count": 5}
