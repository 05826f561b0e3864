from __future__ import annotations

import uuid
from collections.abc import Callable

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from tangerine.accounts.models import Block, User
from tangerine.images.models import Image
from tangerine.posts.models import Comment, Post, PostLike, Reply
from tests.factories import ImageFactory, make_comment, make_post, make_reply

pytestmark = pytest.mark.django_db

AsUser = Callable[[User], APIClient]


def detail(post: Post | str) -> str:
    return f"/api/posts/p/{getattr(post, 'uuid', post)}/"


def test_create_post_returns_the_contract_fields(alice: User, as_user: AsUser) -> None:
    response = as_user(alice).post(
        "/api/posts/p/",
        {
            "title": "귤 수확",
            "text": "Fresh tangerines from Jeju 제주 감귤",
            "tags": ["#Jeju", " 감귤 ", "#jeju", "Fresh Fruit"],
            "category": "food",
            "extra": "ignored",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert set(body) == {
        "uuid", "author", "title", "text", "mentions", "tags", "category", "status", "images",
        "view_count", "like_count", "comment_count", "liked", "created_at", "updated_at",
    }  # fmt: skip
    assert body["author"] == {
        "handle": "alice",
        "display_name": "Alice 앨리스",
        "profile_image": None,
    }
    assert body["tags"] == ["jeju", "감귤", "freshfruit"]  # as typed, duplicates merged
    assert body["status"] == "published"
    assert body["category"] == "food"
    assert (body["view_count"], body["like_count"], body["comment_count"]) == (0, 0, 0)
    assert body["liked"] is False
    assert body["images"] == []


def test_anonymous_cannot_create_a_post(anon: APIClient) -> None:
    assert anon.post("/api/posts/p/", {"text": "x"}, format="json").status_code == 401


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "text"),
        ({"text": ""}, "text"),
        ({"text": "x" * 5001}, "text"),
        ({"text": "ok", "title": "t" * 101}, "title"),
        ({"text": "ok", "tags": [f"t{i}" for i in range(11)]}, "tags"),
        ({"text": "ok", "tags": ["x" * 31]}, "tags"),
        ({"text": "ok", "tags": "notalist"}, "tags"),
        ({"text": "ok", "category": "weapons"}, "category"),
        ({"text": "ok", "status": "secret"}, "status"),
        ({"text": "ok", "images": ["not-a-uuid"]}, "images"),
        ({"text": "ok", "images": [str(uuid.uuid4())]}, "images"),
        ({"text": "ok", "images": [str(uuid.uuid4()) for _ in range(11)]}, "images"),
    ],
)
def test_create_post_refuses_bad_input(
    alice: User, as_user: AsUser, body: dict[str, object], field: str
) -> None:
    response = as_user(alice).post("/api/posts/p/", body, format="json")
    assert response.status_code == 400
    assert field in response.json()["fields"]
    assert not Post.objects.exists()


def test_tags_are_normalised_and_at_most_30_characters(alice: User, as_user: AsUser) -> None:
    tag30 = "가" * 30
    response = as_user(alice).post(
        "/api/posts/p/", {"text": "ok", "tags": [f"##{tag30}", "A B\tC", "#", "abc"]}
    )
    assert response.status_code == 201, response.json()
    assert sorted(response.json()["tags"]) == sorted([tag30, "abc"])


def test_duplicate_tags_beyond_ten_raw_are_fine_after_dedup(alice: User, as_user: AsUser) -> None:
    tags = [f"#T{i % 5}" for i in range(15)]
    response = as_user(alice).post("/api/posts/p/", {"text": "ok", "tags": tags})
    assert response.status_code == 201, response.json()
    assert sorted(response.json()["tags"]) == [f"t{i}" for i in range(5)]


def test_images_keep_their_order_and_must_be_mine_and_not_failed(
    alice: User, bob: User, as_user: AsUser
) -> None:
    first, second = ImageFactory.create(owner=alice), ImageFactory.create(owner=alice)
    response = as_user(alice).post(
        "/api/posts/p/", {"text": "pics", "images": [str(second.uuid), str(first.uuid)]}
    )
    assert response.status_code == 201, response.json()
    images = response.json()["images"]
    assert [i["uuid"] for i in images] == [str(second.uuid), str(first.uuid)]
    assert images[0]["variants"][0]["format"] == "jpeg"

    bobs = ImageFactory.create(owner=bob)
    response = as_user(alice).post("/api/posts/p/", {"text": "x", "images": [str(bobs.uuid)]})
    assert response.status_code == 400
    failed = ImageFactory.create(owner=alice, status=Image.Status.FAILED)
    response = as_user(alice).post("/api/posts/p/", {"text": "x", "images": [str(failed.uuid)]})
    assert response.status_code == 400
    assert "images" in response.json()["fields"]


def test_anyone_reads_a_published_post(alice_post: Post, anon: APIClient) -> None:
    response = anon.get(detail(alice_post))
    assert response.status_code == 200
    assert response.json()["title"] == "첫 글"
    assert sorted(response.json()["tags"]) == ["daily", "귤"]


@pytest.mark.parametrize(
    "path", ["/api/posts/p/not-a-uuid/", "/api/posts/p/3f1c2b7e-9d1a-4c55-8f0e-6b2f1a9c0d42/"]
)
def test_unknown_or_malformed_post_uuid_is_404(anon: APIClient, path: str) -> None:
    response = anon.get(path)
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_drafts_are_visible_only_to_their_author(
    alice: User, bob: User, anon: APIClient, as_user: AsUser
) -> None:
    draft = make_post(alice, status="draft")
    assert as_user(alice).get(detail(draft)).status_code == 200
    assert as_user(bob).get(detail(draft)).status_code == 404
    assert anon.get(detail(draft)).status_code == 404
    assert as_user(bob).patch(detail(draft), {"text": "x"}).status_code == 404
    assert as_user(bob).delete(detail(draft)).status_code == 404


def test_hidden_and_blocked_and_suspended_posts_are_404(
    alice: User, bob: User, carol: User, mod: User, as_user: AsUser, anon: APIClient
) -> None:
    hidden = make_post(alice)
    Post.objects.filter(pk=hidden.pk).update(hidden_at=timezone.now())
    assert anon.get(detail(hidden)).status_code == 404
    assert as_user(mod).get(detail(hidden)).status_code == 200  # staff moderate it
    visible = make_post(alice)
    Block.objects.create(blocker=alice, blocked=bob)
    assert as_user(bob).get(detail(visible)).status_code == 404
    assert as_user(carol).get(detail(visible)).status_code == 200
    User.objects.filter(pk=alice.pk).update(suspended_at=timezone.now())
    assert as_user(carol).get(detail(visible)).status_code == 404


def test_only_the_author_edits(alice_post: Post, alice: User, bob: User, as_user: AsUser) -> None:
    assert as_user(bob).patch(detail(alice_post), {"text": "hacked"}).status_code == 403
    assert as_user(bob).put(detail(alice_post), {"text": "hacked"}).status_code == 403
    assert APIClient().patch(detail(alice_post), {"text": "x"}).status_code == 401
    response = as_user(alice).patch(
        detail(alice_post), {"text": "고쳤어요 edited", "tags": ["New"], "status": "draft"}
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["text"], body["tags"], body["status"]) == ("고쳤어요 edited", ["new"], "draft")
    assert body["title"] == "첫 글"  # PATCH keeps what it was not given


def test_put_replaces_and_validates(alice_post: Post, alice: User, as_user: AsUser) -> None:
    client = as_user(alice)
    assert client.put(detail(alice_post), {"title": "only title"}).status_code == 400
    response = client.put(detail(alice_post), {"text": "전부 새로", "title": ""})
    assert response.status_code == 200
    assert (response.json()["title"], response.json()["tags"]) == ("", [])
    assert client.patch(detail(alice_post), {"text": "y" * 5001}).status_code == 400


def test_only_the_author_deletes_and_it_cascades(
    alice_post: Post, alice: User, bob: User, as_user: AsUser
) -> None:
    comment = make_comment(alice_post, bob)
    make_reply(comment, alice)
    as_user(bob).post("/api/likes/post-likes/", {"post": str(alice_post.uuid)})
    assert as_user(bob).delete(detail(alice_post)).status_code == 403
    assert as_user(alice).delete(detail(alice_post)).status_code == 204
    assert as_user(alice).get(detail(alice_post)).status_code == 404
    assert not Comment.objects.exists()
    assert not Reply.objects.exists()
    assert not PostLike.objects.exists()


def test_views_count_once_per_viewer_per_hour_and_not_for_the_author(
    alice_post: Post, alice: User, bob: User, carol: User, as_user: AsUser
) -> None:
    assert as_user(alice).get(detail(alice_post)).json()["view_count"] == 0
    bob_client = as_user(bob)
    assert bob_client.get(detail(alice_post)).json()["view_count"] == 1
    assert bob_client.get(detail(alice_post)).json()["view_count"] == 1
    assert as_user(carol).get(detail(alice_post)).json()["view_count"] == 2
    anon_a = APIClient(REMOTE_ADDR="10.0.0.1")
    anon_b = APIClient(REMOTE_ADDR="10.0.0.2")
    anon_a.get(detail(alice_post))
    anon_a.get(detail(alice_post))
    anon_b.get(detail(alice_post))
    alice_post.refresh_from_db()
    assert alice_post.view_count == 4


def test_a_failing_view_counter_never_fails_the_response(
    alice_post: Post, bob: User, as_user: AsUser, monkeypatch: pytest.MonkeyPatch
) -> None:
    from django.core.cache import cache

    def broken(*args: object, **kwargs: object) -> bool:
        raise ConnectionError("cache is down")

    monkeypatch.setattr(cache, "add", broken)
    response = as_user(bob).get(detail(alice_post))
    assert response.status_code == 200
    assert response.json()["view_count"] == 0
