"""The home feed has two query plans (by how many people the viewer follows); both answer the
same posts in the same order: followed authors and mine, published, minus muted users."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tangerine.accounts.models import Mute, User
from tangerine.follows.services import follow_create
from tangerine.posts import selectors
from tangerine.posts.models import Post
from tests.factories import make_post


def _feed(viewer: User) -> list[str]:
    viewer.refresh_from_db()
    return [str(p.uuid) for p in selectors.post_list_for_feed(viewer=viewer)]


@pytest.fixture
def world(alice: User, bob: User, carol: User, make_user: Callable[..., User]) -> list[str]:
    dave, erin = make_user(handle="dave"), make_user(handle="erin")
    for followee in (bob, carol, dave):
        follow_create(follower=alice, followee=followee)
    Mute.objects.create(muter=alice, muted=dave)
    expected = []
    for i, author in enumerate([alice, bob, carol, dave, erin] * 3):
        post = make_post(author, f"post {i}")
        if author in (alice, bob, carol):
            expected.append(str(post.uuid))
    make_post(bob, "draft", status=Post.Status.DRAFT)
    return list(reversed(expected))


def test_both_feed_plans_give_the_same_page(
    alice: User, world: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    by_author = _feed(alice)
    monkeypatch.setattr(selectors, "FEED_BY_AUTHOR_MAX_FOLLOWING", 0)
    newest_first = _feed(alice)
    assert by_author == newest_first == world


def test_a_viewer_following_no_one_sees_only_their_own_posts(
    make_user: Callable[..., User], bob: User
) -> None:
    loner = make_user(handle="loner")
    mine = make_post(loner, "mine")
    make_post(bob, "not followed")
    assert _feed(loner) == [str(mine.uuid)]
