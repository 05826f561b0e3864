"""The generator's data is consistent, and the API benchmark's plain-Django peer answers the
same JSON with the same queries as every DRF endpoint it stands beside (else its requests/s
ratio would compare different work). Runs on SQLite and PostgreSQL, in-process."""

from __future__ import annotations

from typing import Any

import pytest
from bench.api import run
from bench.data.generate import Sizes, generate
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tangerine.accounts.models import User
from tangerine.chats.models import Message, Room
from tangerine.follows.models import Follow
from tangerine.notifications.models import Notification
from tangerine.posts.models import Comment, Post, PostLike

pytestmark = pytest.mark.django_db


@pytest.fixture
def tiny(settings: Any) -> dict[str, Any]:
    settings.ROOT_URLCONF = "bench.api.urls"
    result = generate(Sizes.tiny())
    return {"result": result, "sample": run.sample_objects()}


def test_generator_writes_consistent_counters(tiny: dict[str, Any]) -> None:
    sizes = Sizes.tiny()
    assert User.objects.count() == sizes.users
    assert Post.objects.count() == sizes.posts
    assert PostLike.objects.count() == sizes.likes
    assert Follow.objects.count() == sizes.follows
    assert Comment.objects.count() == sizes.comments
    assert Message.objects.count() == sizes.messages
    assert tiny["result"]["rows_per_s"] > 0
    # Denormalised counters match the rows.
    for post in Post.objects.order_by("?")[:20]:
        assert post.like_count == PostLike.objects.filter(post=post).count()
        assert post.comment_count == Comment.objects.filter(post=post).count()
    u2 = User.objects.get(handle="u2")
    assert u2.following_count == Follow.objects.filter(follower=u2).count() > 5
    assert User.objects.get(handle="u0").following_count == 0
    assert User.objects.get(handle="u1").following_count == 5
    for room in Room.objects.all():
        assert room.last_message is not None
        assert room.next_seq == room.last_message.seq + 1 == room.messages.count() + 1
    assert Notification.objects.filter(kind="comment").count() > 0


def test_peer_answers_the_same_json_with_the_same_queries(tiny: dict[str, Any]) -> None:
    checks = run.inspect(run.endpoints(tiny["sample"]), tiny["sample"])
    assert set(checks) >= {"feed", "latest", "post_detail", "comments", "notifications"}
    assert checks["search_users"]["same_json"]
    for name, check in checks.items():
        assert check["drf_status"] == 200, name
        if "peer_status" in check:
            assert check["peer_status"] == 200, name
            assert check["same_json"], name
            assert check["drf_queries"] == check["peer_queries"], name


def test_peer_refuses_a_missing_token_and_a_missing_post(tiny: dict[str, Any]) -> None:
    client = Client()
    assert client.get("/peer/posts/feed/").status_code == 401
    assert client.get("/peer/notifications/").status_code == 401
    missing = "/peer/posts/p/00000000-0000-4000-8000-000000000000/"
    assert client.get(missing).status_code == 404
    assert client.get("/peer/products/?sort=nonsense").status_code == 400
    assert client.get("/peer/search/?type=user").status_code == 400
    assert client.get("/peer/search/?q=u&type=post").status_code == 400
    for bad in ("q=%00&type=user", "q=u&type=user&page=0", "q=u&type=user&page=-1"):
        assert client.get(f"/peer/search/?{bad}").status_code == 400, bad


def test_feed_queries_stay_constant_as_data_grows(tiny: dict[str, Any]) -> None:
    token = tiny["sample"]["tokens"]["many"]
    client = Client(headers={"Authorization": f"Bearer {token}"})
    client.get("/api/posts/feed/")
    with CaptureQueriesContext(connection) as small:
        client.get("/api/posts/feed/")
    followees = [f.followee for f in Follow.objects.filter(follower__handle="u2")[:20]]
    Post.objects.bulk_create(
        Post(author=followees[i % len(followees)], text=f"more {i}") for i in range(600)
    )
    with CaptureQueriesContext(connection) as large:
        assert client.get("/api/posts/feed/").status_code == 200
    assert len(large.captured_queries) == len(small.captured_queries)
