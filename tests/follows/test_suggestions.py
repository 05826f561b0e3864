"""GET /api/accounts/suggestions/: people to follow for an empty feed."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from tangerine.accounts.models import User
from tangerine.accounts.services import block_create, mute_create
from tangerine.follows.services import follow_create

pytestmark = pytest.mark.django_db

URL = "/api/accounts/suggestions/"
AsUser = Callable[[User], APIClient]


def suggested(response: Any) -> list[tuple[str, str, int]]:
    assert response.status_code == 200, response.content
    return [(u["handle"], u["reason"], u["mutual_count"]) for u in response.json()]


def test_friends_of_friends_first_then_popular_never_me_or_followed(
    alice: User, bob: User, carol: User, make_user: Callable[..., User], as_user: AsUser
) -> None:
    dave, erin, star = (make_user(handle=h) for h in ("dave", "erin", "star"))
    follow_create(follower=alice, followee=bob)
    follow_create(follower=alice, followee=carol)
    follow_create(follower=bob, followee=dave)
    follow_create(follower=carol, followee=dave)
    follow_create(follower=bob, followee=erin)
    follow_create(follower=bob, followee=alice)  # alice herself is never suggested
    for _ in range(3):
        follow_create(follower=make_user(), followee=star)
    result = suggested(as_user(alice).get(URL))
    assert result[:3] == [
        ("dave", "followed_by_people_you_follow", 2),
        ("erin", "followed_by_people_you_follow", 1),
        ("star", "popular", 0),
    ]
    handles = [h for h, _, _ in result]
    assert not {"alice", "bob", "carol"} & set(handles)
    assert all(u["is_following"] is False for u in as_user(alice).get(URL).json())


def test_a_new_user_gets_popular_accounts(
    alice: User, bob: User, carol: User, make_user: Callable[..., User], as_user: AsUser
) -> None:
    follow_create(follower=bob, followee=carol)
    newcomer = make_user(handle="newcomer")
    result = suggested(as_user(newcomer).get(URL))
    assert result[0] == ("carol", "popular", 0)
    assert {"alice", "bob"} <= {h for h, _, _ in result}


def test_sellers_in_categories_i_looked_at_come_before_popular_accounts(
    alice: User, make_user: Callable[..., User], as_user: AsUser
) -> None:
    from tangerine.products.models import Product

    farmer, other, star = (make_user(handle=h) for h in ("farmer", "tailor", "star"))
    for _ in range(3):
        follow_create(follower=make_user(), followee=star)
    looked_at = Product.objects.create(
        owner=other, name="귤 5kg", price=1, link="https://s.example/a", category="food"
    )
    Product.objects.create(
        owner=farmer, name="한라봉", price=1, link="https://s.example/b", category="food"
    )
    Product.objects.create(  # a seller of another category only: not this signal
        owner=make_user(handle="knitter"),
        name="sweater",
        price=1,
        link="https://s.example/c",
        category="fashion",
    )
    before = suggested(as_user(alice).get(URL))
    assert before[0] == ("star", "popular", 0)
    # alice opens the tailor's food product: sellers of food (the tailor, the farmer) move up.
    assert as_user(alice).get(f"/api/products/{looked_at.uuid}/").status_code == 200
    after = suggested(as_user(alice).get(URL))
    assert {h for h, _, _ in after[:2]} == {"farmer", "tailor"}
    assert {r for _, r, _ in after[:2]} == {"sells_what_you_looked_at"}
    assert after[2] == ("star", "popular", 0)
    assert ("knitter", "popular", 0) in after


def test_blocked_muted_suspended_and_inactive_people_are_never_suggested(
    alice: User, bob: User, carol: User, make_user: Callable[..., User], as_user: AsUser
) -> None:
    blocker = make_user(handle="blocker")
    blocked = make_user(handle="blocked")
    muted = make_user(handle="muted")
    make_user(handle="suspended", suspended_at=timezone.now())
    make_user(handle="inactive", is_active=False)
    block_create(blocker=blocker, blocked=alice)
    block_create(blocker=alice, blocked=blocked)
    mute_create(muter=alice, muted=muted)
    for person in (blocked, muted):  # carol follows them, so they would rank first
        follow_create(follower=carol, followee=person)
    follow_create(follower=alice, followee=carol)
    handles = {h for h, _, _ in suggested(as_user(alice).get(URL))}
    assert handles == {"bob"}


def test_suggestions_need_a_sign_in(anon: APIClient) -> None:
    assert anon.get(URL).status_code == 401


def test_suggestions_cost_one_query_and_stop_at_twenty(
    alice: User,
    make_user: Callable[..., User],
    as_user: AsUser,
    django_assert_num_queries: Any,
) -> None:
    client = as_user(alice)
    friend = make_user()
    follow_create(follower=alice, followee=friend)
    for _ in range(4):
        follow_create(follower=friend, followee=make_user())
    # the token's user + the suggestions (follows, blocks, mutes and counts as subqueries)
    with django_assert_num_queries(2):
        assert len(client.get(URL).json()) == 4
    for _ in range(25):
        follow_create(follower=friend, followee=make_user())
    with django_assert_num_queries(2):
        assert len(client.get(URL).json()) == 20
