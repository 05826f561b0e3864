"""GET /api/notifications/, GET /api/notifications/unread-count/, POST /api/notifications/read/."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from tangerine.accounts.models import Block, Mute, User
from tangerine.accounts.services import user_delete
from tangerine.core.exports import export_all
from tangerine.notifications import services
from tangerine.notifications.models import Notification
from tangerine.posts.models import Comment, Post, Reply

pytestmark = pytest.mark.django_db

LIST = "/api/notifications/"
COUNT = "/api/notifications/unread-count/"
READ = "/api/notifications/read/"


def _likes(post_author: Any, likers: list[Any], make_post: Any, n: int) -> list[Notification]:
    """``n`` post-like notifications for ``post_author``, oldest first."""
    made = []
    for i in range(n):
        post = make_post(post_author, title=f"post {i}")
        row = services.notify_post_liked(user=likers[i % len(likers)], post=post)
        assert row is not None
        made.append(row)
    return made


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [("get", LIST, None), ("get", COUNT, None), ("post", READ, {"all": True})],
)
def test_anonymous_gets_401(anon, method, path, body):
    response = getattr(anon, method)(path, body, format="json")
    assert response.status_code == 401, response.content
    assert response.json()["code"] == "not_authenticated"


def test_list_shows_my_notifications_newest_first_with_unread_count(
    alice, bob, carol, as_user, make_post
):
    older = services.notify_follow(follower=bob, followee=alice)
    post = make_post(alice, title="감귤 first harvest")
    newer = services.notify_post_liked(user=carol, post=post)
    services.notify_follow(follower=alice, followee=bob)  # bob's, not mine
    assert older is not None and newer is not None

    response = as_user(alice).get(LIST)
    assert response.status_code == 200
    body = response.json()
    assert body["unread_count"] == 2
    assert set(body) == {"next", "previous", "results", "unread_count"}
    assert [item["uuid"] for item in body["results"]] == [str(newer.uuid), str(older.uuid)]
    item = body["results"][0]
    assert item == {
        "uuid": str(newer.uuid),
        "kind": "post_like",
        "actor": {"handle": "carol", "display_name": "Carol 캐럴", "profile_image": None},
        "actors": [{"handle": "carol", "display_name": "Carol 캐럴", "profile_image": None}],
        "actor_count": 1,
        "others_count": 0,
        "target": {
            "type": "post",
            "uuid": str(post.uuid),
            "preview": "감귤 first harvest",
            "post": str(post.uuid),
        },
        "read": False,
        "created_at": item["created_at"],
        "latest_at": item["latest_at"],
    }
    assert item["created_at"].endswith(("Z", "+00:00"))


def test_list_pages_with_a_cursor(alice, bob, carol, as_user, make_post):
    made = _likes(alice, [bob, carol], make_post, 5)
    client = as_user(alice)
    first = client.get(LIST, {"page_size": 2}).json()
    second = client.get(first["next"]).json()
    third = client.get(second["next"]).json()
    seen = [i["uuid"] for page in (first, second, third) for i in page["results"]]
    assert seen == [str(n.uuid) for n in reversed(made)]
    assert third["next"] is None
    assert first["unread_count"] == third["unread_count"] == 5


def test_a_deleted_actor_shows_as_null_and_the_notification_stays(alice, bob, as_user):
    services.notify_follow(follower=bob, followee=alice)
    user_delete(user=bob)
    results = as_user(alice).get(LIST).json()["results"]
    assert len(results) == 1
    assert results[0]["actor"] is None
    assert results[0]["kind"] == "follow"


def test_moderation_notices_have_no_actor(alice, as_user):
    from tangerine.reports.models import ModerationWarning

    warning = ModerationWarning.objects.create(user=alice, reason="spam", message="Please stop.")
    services.notify_warning(warning=warning)
    item = as_user(alice).get(LIST).json()["results"][0]
    assert item["actor"] is None
    assert item["target"]["type"] == "warning"


@pytest.mark.parametrize("how", ["i_block", "they_block", "i_mute"])
def test_notifications_from_people_i_later_block_or_mute_disappear_from_list_and_count(
    alice, bob, carol, as_user, how
):
    services.notify_follow(follower=bob, followee=alice)
    services.notify_follow(follower=carol, followee=alice)
    if how == "i_block":
        Block.objects.create(blocker=alice, blocked=bob)
    elif how == "they_block":
        Block.objects.create(blocker=bob, blocked=alice)
    else:
        Mute.objects.create(muter=alice, muted=bob)
    client = as_user(alice)
    body = client.get(LIST).json()
    assert [i["actor"]["handle"] for i in body["results"]] == ["carol"]
    assert body["unread_count"] == 1
    assert client.get(COUNT).json() == {"unread_count": 1}


def test_unread_count_endpoint_counts_only_my_unread(alice, bob, carol, as_user, make_post):
    made = _likes(alice, [bob, carol], make_post, 3)
    _likes(bob, [carol], make_post, 2)
    services.notifications_mark_read(recipient=alice, uuids=[made[0].uuid])
    assert as_user(alice).get(COUNT).json() == {"unread_count": 2}
    assert as_user(bob).get(COUNT).json() == {"unread_count": 2}
    assert as_user(carol).get(COUNT).json() == {"unread_count": 0}


def test_mark_read_by_uuids_changes_only_my_own_and_ignores_others(
    alice, bob, carol, as_user, make_post
):
    mine = _likes(alice, [bob], make_post, 3)
    theirs = _likes(bob, [carol], make_post, 1)[0]
    response = as_user(alice).post(
        READ,
        {"uuids": [str(mine[0].uuid), str(mine[1].uuid), str(theirs.uuid), str(uuid.uuid4())]},
        format="json",
    )
    assert response.status_code == 200
    assert response.json() == {"unread_count": 1}
    theirs.refresh_from_db()
    assert theirs.read_at is None
    results = as_user(alice).get(LIST).json()["results"]
    assert [i["read"] for i in results] == [False, True, True]


def test_mark_read_twice_keeps_the_first_read_time(alice, bob, as_user):
    row = services.notify_follow(follower=bob, followee=alice)
    assert row is not None
    client = as_user(alice)
    client.post(READ, {"uuids": [str(row.uuid)]}, format="json")
    row.refresh_from_db()
    first_read = row.read_at
    assert first_read is not None
    assert client.post(READ, {"uuids": [str(row.uuid)]}, format="json").json() == {
        "unread_count": 0
    }
    row.refresh_from_db()
    assert row.read_at == first_read


def test_mark_all_read(alice, bob, carol, as_user, make_post):
    _likes(alice, [bob, carol], make_post, 4)
    theirs = _likes(bob, [carol], make_post, 1)[0]
    response = as_user(alice).post(READ, {"all": True}, format="json")
    assert response.status_code == 200
    assert response.json() == {"unread_count": 0}
    assert not Notification.objects.filter(recipient=alice, read_at__isnull=True).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "non_field_errors"),
        ({"all": False}, "non_field_errors"),
        ({"uuids": []}, "uuids"),
        ({"uuids": ["not-a-uuid"]}, "uuids"),
        ({"uuids": "0b5e7a7e-3f0a-4b8e-9c52-7f0c2c1e9a11"}, "uuids"),
        ({"uuids": [str(uuid.UUID(int=i)) for i in range(101)]}, "uuids"),
        ({"uuids": ["0b5e7a7e-3f0a-4b8e-9c52-7f0c2c1e9a11"], "all": True}, "non_field_errors"),
        ({"all": "maybe"}, "all"),
    ],
    ids=["empty", "all-false", "no-uuids", "malformed", "not-a-list", "101", "both", "bad-all"],
)
def test_mark_read_refuses_bad_input_with_field_messages(alice, bob, as_user, body, field):
    row = services.notify_follow(follower=bob, followee=alice)
    assert row is not None
    response = as_user(alice).post(READ, body, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()["fields"]
    row.refresh_from_db()
    assert row.read_at is None


def test_mark_read_accepts_exactly_100_uuids(alice, bob, as_user):
    row = services.notify_follow(follower=bob, followee=alice)
    assert row is not None
    uuids = [str(row.uuid)] + [str(uuid.UUID(int=i)) for i in range(99)]
    response = as_user(alice).post(READ, {"uuids": uuids}, format="json")
    assert response.status_code == 200
    assert response.json() == {"unread_count": 0}


def test_list_query_count_is_pinned_and_does_not_grow_with_rows(
    alice, make_user, as_user, make_post, django_assert_num_queries
):
    from tangerine.images.models import Image

    likers = []
    for i in range(3):
        liker = make_user(handle=f"liker{i}", email=f"liker{i}@example.com")
        liker.profile_image = Image.objects.create(
            owner=liker, status="ready", content_type="image/jpeg", size=10, key=f"k{i}"
        )
        liker.save()
        likers.append(liker)
    _likes(alice, likers, make_post, 4)
    client = as_user(alice)
    # 1 the authenticated user, 2 the page (with each group's actor count and newest actors,
    # profile images included, as columns of its rows), 3 the unread count.
    with django_assert_num_queries(3):
        client.get(LIST, {"page_size": 100})
    made = _likes(alice, likers, make_post, 16)
    # Groups grow too: every liker joins the newest post's group.
    post = Post.objects.get(uuid=made[-1].target_uuid)
    for liker in likers:
        services.notify_post_liked(user=liker, post=post)
    with django_assert_num_queries(3):
        body = client.get(LIST, {"page_size": 100}).json()
    assert len(body["results"]) == 20
    top = body["results"][0]
    assert top["actor"]["profile_image"] is not None
    assert top["actor_count"] == 3 and len(top["actors"]) == 3


def test_unread_count_and_mark_read_query_counts_are_pinned(
    alice, bob, as_user, django_assert_num_queries
):
    services.notify_follow(follower=bob, followee=alice)
    client = as_user(alice)
    # 1 the user, 2 the count.
    with django_assert_num_queries(2):
        client.get(COUNT)
    # 1 the user, 2 the UPDATE, 3 the count.
    with django_assert_num_queries(3):
        client.post(READ, {"all": True}, format="json")


def test_my_data_export_lists_my_notifications(alice, bob, make_post, as_user):
    services.notify_follow(follower=bob, followee=alice)
    services.notify_post_liked(user=alice, post=make_post(bob))
    exported = export_all(alice)["notifications"]
    assert [(row["kind"], row["actor"]) for row in exported] == [("follow", "bob")]
    assert exported[0]["read_at"] is None
    via_api = as_user(alice).get("/api/accounts/export/").json()["notifications"]
    assert [row["uuid"] for row in via_api] == [row["uuid"] for row in exported]


def _listed(client: Any) -> set[str]:
    return {row["uuid"] for row in client.get(LIST).json()["results"]}


@pytest.mark.parametrize("change", ["deleted", "hidden", "author_suspended", "post_made_draft"])
def test_notifications_about_content_that_is_gone_are_not_listed(
    alice, bob, carol, as_user, make_post, make_comment, make_reply, change
):
    """A preview must not keep deleted, moderated or unpublished text alive."""
    from django.utils import timezone

    post = make_post(alice)
    comment = make_comment(post, bob, text="bob's comment text")
    reply = make_reply(comment, carol, text="carol's reply text")
    on_comment = services.notify_comment(comment=comment)
    on_reply = next(n for n in services.notify_reply(reply=reply) if n.recipient == bob)
    liked = services.notify_post_liked(user=carol, post=post)
    follow = services.notify_follow(follower=carol, followee=bob)
    assert on_comment and liked and follow
    alice_client, bob_client = as_user(alice), as_user(bob)
    assert _listed(alice_client) >= {str(on_comment.uuid), str(liked.uuid)}
    assert _listed(bob_client) == {str(on_reply.uuid), str(follow.uuid)}

    if change == "deleted":
        comment.delete()  # its replies go with it
        assert _listed(alice_client) == {str(liked.uuid)}
        assert _listed(bob_client) == {str(follow.uuid)}
    elif change == "hidden":
        Comment.objects.filter(pk=comment.pk).update(hidden_at=timezone.now())
        Reply.objects.filter(pk=reply.pk).update(hidden_at=timezone.now())
        assert str(on_comment.uuid) not in _listed(alice_client)
        assert _listed(bob_client) == {str(follow.uuid)}
    elif change == "author_suspended":
        User.objects.filter(pk=carol.pk).update(suspended_at=timezone.now())
        assert str(liked.uuid) not in _listed(alice_client)
        assert _listed(bob_client) == set()
    else:
        Post.objects.filter(pk=post.pk).update(status=Post.Status.DRAFT)
        assert str(liked.uuid) in _listed(alice_client)  # her own draft: she still sees it
        assert _listed(bob_client) == {str(follow.uuid)}
    unread = bob_client.get(COUNT).json()
    assert unread["unread_count"] == len(_listed(bob_client))


def test_unread_count_stops_at_100_and_drops_below_it_when_read(alice, bob, as_user):
    # 103 unread follow notices, made in bulk: the count reads at most 100 of them (the badge
    # says "99+"), and marking four read shows the exact 99 again.
    rows = Notification.objects.bulk_create(
        Notification(recipient=alice, kind="follow", target_type="user", target_uuid=uuid.uuid4())
        for _ in range(103)
    )
    client = as_user(alice)
    assert client.get(COUNT).json() == {"unread_count": 100}
    assert client.get(LIST).json()["unread_count"] == 100
    response = client.post(READ, {"uuids": [str(r.uuid) for r in rows[:4]]}, format="json")
    assert response.json() == {"unread_count": 99}
    assert as_user(bob).get(COUNT).json() == {"unread_count": 0}
