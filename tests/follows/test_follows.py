from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from tangerine.accounts.models import Block, User
from tangerine.follows.models import Follow
from tangerine.follows.services import follow_create

pytestmark = pytest.mark.django_db

AsUser = Callable[[User], APIClient]


def counters(user: User) -> tuple[int, int]:
    user.refresh_from_db()
    return user.follower_count, user.following_count


def handles(response: Any) -> list[str]:
    assert response.status_code == 200, response.json()
    return [u["handle"] for u in response.json()["results"]]


def test_follow_returns_the_followed_user_and_is_idempotent(
    alice: User, bob: User, as_user: AsUser
) -> None:
    client = as_user(bob)
    response = client.post("/api/follows/", {"handle": "ALICE"})
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["handle"], body["is_following"], body["follower_count"]) == ("alice", True, 1)
    assert "email" not in body
    again = client.post("/api/follows/", {"handle": "alice"})
    assert again.status_code == 200
    assert again.json()["follower_count"] == 1
    assert counters(alice) == (1, 0)
    assert counters(bob) == (0, 1)
    assert Follow.objects.count() == 1


@pytest.mark.parametrize(
    ("body", "status"),
    [({"handle": "bob"}, 400), ({}, 400), ({"handle": "ghost"}, 404), ({"handle": "x" * 31}, 400)],
)
def test_follow_refuses_self_missing_and_bad_input(
    bob: User, as_user: AsUser, body: dict[str, str], status: int
) -> None:
    assert as_user(bob).post("/api/follows/", body).status_code == status
    assert not Follow.objects.exists()


def test_anonymous_cannot_follow(alice: User, anon: APIClient) -> None:
    assert anon.post("/api/follows/", {"handle": "alice"}).status_code == 401


def test_blocks_forbid_following_either_way(
    alice: User, bob: User, carol: User, as_user: AsUser
) -> None:
    Block.objects.create(blocker=alice, blocked=bob)
    for client, handle in ((as_user(bob), "alice"), (as_user(alice), "bob")):
        response = client.post("/api/follows/", {"handle": handle})
        assert response.status_code == 400
        assert response.json()["fields"]["handle"] == ["You cannot follow this user."]
    assert not Follow.objects.exists()


def test_suspended_users_cannot_be_followed(alice: User, bob: User, as_user: AsUser) -> None:
    User.objects.filter(pk=alice.pk).update(suspended_at=timezone.now())
    assert as_user(bob).post("/api/follows/", {"handle": "alice"}).status_code == 404


def test_unfollow_and_remove_a_follower(
    alice: User, bob: User, carol: User, as_user: AsUser, anon: APIClient
) -> None:
    follow_create(follower=bob, followee=alice)
    follow_create(follower=carol, followee=alice)
    assert as_user(bob).delete("/api/follows/alice/unfollow/").status_code == 204
    assert as_user(bob).delete("/api/follows/alice/unfollow/").status_code == 204  # no change
    assert counters(alice) == (1, 0)
    assert counters(bob) == (0, 0)
    assert as_user(alice).delete("/api/follows/carol/unfollower/").status_code == 204
    assert counters(alice) == (0, 0)
    assert counters(carol) == (0, 0)
    assert not Follow.objects.exists()
    assert anon.delete("/api/follows/alice/unfollow/").status_code == 401
    assert as_user(bob).delete("/api/follows/ghost/unfollow/").status_code == 404


def test_followers_and_following_lists_with_my_flags(
    alice: User, bob: User, carol: User, make_user: Callable[..., User], as_user: AsUser
) -> None:
    dave = make_user(handle="dave")
    follow_create(follower=bob, followee=alice)
    follow_create(follower=carol, followee=alice)
    follow_create(follower=dave, followee=alice)
    follow_create(follower=alice, followee=carol)
    follow_create(follower=bob, followee=carol)
    followers = as_user(bob).get("/api/follows/alice/followers/")
    assert handles(followers) == ["dave", "carol", "bob"]  # newest follow first
    flags = {u["handle"]: u["is_following"] for u in followers.json()["results"]}
    assert flags == {"dave": False, "carol": True, "bob": False}
    assert handles(APIClient().get("/api/follows/alice/follows/")) == ["carol"]
    assert handles(APIClient().get("/api/follows/carol/followers/")) == ["bob", "alice"]
    assert APIClient().get("/api/follows/ghost/followers/").status_code == 404
    User.objects.filter(pk=dave.pk).update(suspended_at=timezone.now())
    Block.objects.create(blocker=carol, blocked=bob)
    assert handles(as_user(bob).get("/api/follows/alice/followers/")) == ["bob"]


def test_blocking_removes_follows_and_counters(alice: User, bob: User, as_user: AsUser) -> None:
    follow_create(follower=bob, followee=alice)
    follow_create(follower=alice, followee=bob)
    assert as_user(alice).post("/api/accounts/users/bob/block/").status_code == 200
    assert counters(alice) == (0, 0)
    assert counters(bob) == (0, 0)


@pytest.mark.parametrize("who", ["anon", "bob"])
@pytest.mark.parametrize("path", ["followers", "follows"])
def test_follow_lists_cost_a_fixed_number_of_queries(
    alice: User,
    bob: User,
    make_user: Callable[..., User],
    as_user: AsUser,
    django_assert_num_queries: Any,
    who: str,
    path: str,
) -> None:
    client = as_user(bob) if who == "bob" else APIClient()
    auth = 1 if who == "bob" else 0

    def grow(n: int) -> None:
        for _ in range(n):
            other = make_user()
            follow_create(follower=other, followee=alice)
            follow_create(follower=alice, followee=other)
            follow_create(follower=bob, followee=other)

    grow(3)
    # the user named in the URL + the page of follows with users and flags
    with django_assert_num_queries(auth + 2):
        assert len(handles(client.get(f"/api/follows/alice/{path}/?page_size=2"))) == 2
    grow(12)  # five times the rows
    with django_assert_num_queries(auth + 2):
        response = client.get(f"/api/follows/alice/{path}/?page_size=10")
    assert len(handles(response)) == 10
    assert all(u["is_following"] is (who == "bob") for u in response.json()["results"])
