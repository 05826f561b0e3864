"""GET/PATCH /api/notifications/preferences/ and how groups read in the list."""

from __future__ import annotations

import pytest

from tangerine.notifications import services
from tangerine.notifications.models import Kind, Notification

pytestmark = pytest.mark.django_db

PREFS = "/api/notifications/preferences/"
LIST = "/api/notifications/"
READ = "/api/notifications/read/"


def test_anonymous_gets_401(anon):
    assert anon.get(PREFS).status_code == 401
    assert anon.patch(PREFS, {"post_like": False}, format="json").status_code == 401


def test_every_kind_is_on_by_default(alice, as_user):
    response = as_user(alice).get(PREFS)
    assert response.status_code == 200
    assert response.json() == dict.fromkeys(Kind.values, True)


def test_turning_a_kind_off_stops_new_ones_and_on_again_restores(
    alice, bob, carol, as_user, make_post
):
    client = as_user(alice)
    response = client.patch(PREFS, {"post_like": False, "follow": True}, format="json")
    assert response.status_code == 200
    assert response.json() == {kind: kind != "post_like" for kind in Kind.values}
    assert client.patch(PREFS, {"post_like": False}, format="json").status_code == 200  # again
    assert services.notify_post_liked(user=bob, post=make_post(alice)) is None
    assert services.notify_follow(follower=bob, followee=alice) is not None
    # Only my preferences changed: carol still hears likes.
    assert services.notify_post_liked(user=bob, post=make_post(carol)) is not None
    assert client.patch(PREFS, {"post_like": True}, format="json").json()["post_like"] is True
    assert services.notify_post_liked(user=bob, post=make_post(alice)) is not None


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"likes": False}, "likes"),
        ({"post_like": "maybe"}, "post_like"),
        ({"warning": False}, "warning"),
        ({"content_hidden": False}, "content_hidden"),
        ({}, "non_field_errors"),
    ],
)
def test_bad_preferences_are_400_with_field_messages(alice, as_user, body, field):
    response = as_user(alice).patch(PREFS, body, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()["fields"], response.json()
    assert as_user(alice).get(PREFS).json() == dict.fromkeys(Kind.values, True)


def test_a_group_reads_as_one_item_with_the_newest_actor_first(
    alice, bob, carol, make_user, as_user, make_post
):
    post = make_post(alice, title="감귤")
    other = make_post(alice, title="other")
    dave, erin = make_user(handle="dave"), make_user(handle="erin")
    for liker in (bob, carol, dave):
        services.notify_post_liked(user=liker, post=post)
    services.notify_post_liked(user=bob, post=other)
    services.notify_post_liked(user=erin, post=post)  # bumps the group to the top
    body = as_user(alice).get(LIST).json()
    assert body["unread_count"] == 2
    top = body["results"][0]
    assert top["target"]["uuid"] == str(post.uuid)
    assert top["actor"]["handle"] == "erin"
    assert [a["handle"] for a in top["actors"]] == ["erin", "dave", "carol"]
    assert (top["actor_count"], top["others_count"]) == (4, 3)
    assert body["results"][1]["actor_count"] == 1


def test_reading_a_group_then_a_new_actor_opens_a_new_unread_group(
    alice, bob, carol, as_user, make_post
):
    post = make_post(alice)
    group = services.notify_post_liked(user=bob, post=post)
    assert group is not None
    client = as_user(alice)
    assert client.post(READ, {"uuids": [str(group.uuid)]}, format="json").json() == {
        "unread_count": 0
    }
    fresh = services.notify_post_liked(user=carol, post=post)
    assert fresh is not None and fresh.pk != group.pk
    body = client.get(LIST).json()
    assert body["unread_count"] == 1
    assert [(i["read"], i["actor"]["handle"], i["actor_count"]) for i in body["results"]] == [
        (False, "carol", 1),
        (True, "bob", 1),
    ]


def test_a_blocked_actor_leaves_the_group_count_and_the_avatars(
    alice, bob, carol, as_user, make_post
):
    from tangerine.accounts.models import Block

    post = make_post(alice)
    services.notify_post_liked(user=bob, post=post)
    services.notify_post_liked(user=carol, post=post)
    Block.objects.create(blocker=alice, blocked=carol)
    item = as_user(alice).get(LIST).json()["results"][0]
    assert (item["actor"]["handle"], item["actor_count"], item["others_count"]) == ("bob", 1, 0)
    assert Notification.objects.count() == 1
