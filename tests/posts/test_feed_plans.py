"""The home feed has three query plans (by how many people the viewer follows); both answer the
same posts in the same order: followed authors and mine, published, minus muted users."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from tangerine.accounts.models import Block, Mute, User
from tangerine.follows.models import Follow
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


# ---- the three plans on a generated dataset, page by page through the API ---------------


def _walk(client: Any, page_size: int) -> list[str]:
    """Every post of the feed, following ``next`` links to the end."""
    seen: list[str] = []
    url: str | None = f"/api/posts/feed/?page_size={page_size}"
    while url:
        response = client.get(url)
        assert response.status_code == 200, response.content
        seen += [row["uuid"] for row in response.json()["results"]]
        url = response.json()["next"]
    return seen


@pytest.fixture
def generated(make_user: Callable[..., User]) -> dict[str, Any]:
    """Eight authors, posts with many equal timestamps (cursor ties), a hidden post, a draft,
    a mute and a block; viewers following no one, three people and everyone."""
    rng = random.Random(17)
    authors = [make_user(handle=f"gen{i}") for i in range(8)]
    none, few, many = authors[0], authors[1], authors[2]
    for followee in authors[3:6]:
        follow_create(follower=few, followee=followee)
    for followee in authors:
        if followee != many:
            follow_create(follower=many, followee=followee)
    Mute.objects.create(muter=many, muted=authors[7])
    Block.objects.create(blocker=authors[6], blocked=many)
    base = timezone.now() - timedelta(days=1)
    for i in range(90):
        author = rng.choice(authors)
        post = make_post(author, f"generated {i}", index=False)
        # A third of the posts share a timestamp with another (ties broken by id).
        Post.objects.filter(pk=post.pk).update(created_at=base + timedelta(minutes=i // 3 * 2))
    hidden = make_post(authors[4], "hidden", index=False)
    Post.objects.filter(pk=hidden.pk).update(hidden_at=timezone.now())
    for author in (none, few, authors[5]):
        make_post(author, "draft", status=Post.Status.DRAFT, index=False)
    return {"none": none, "few": few, "many": many}


def _expected(viewer: User) -> list[str]:
    """The feed's rule written out in Python over every post."""
    followees = set(Follow.objects.filter(follower=viewer).values_list("followee_id", flat=True))
    muted = set(Mute.objects.filter(muter=viewer).values_list("muted_id", flat=True))
    blocked = set(Block.objects.involving(viewer).values_list("blocker_id", "blocked_id"))
    blocked_ids = {pk for pair in blocked for pk in pair} - {viewer.pk}
    rows = [
        p
        for p in Post.objects.all()
        if (p.author_id in followees or p.author_id == viewer.pk)
        and p.status == Post.Status.PUBLISHED
        and p.hidden_at is None
        and p.author_id not in muted | blocked_ids
    ]
    rows.sort(key=lambda p: (p.created_at, p.pk), reverse=True)
    return [str(p.uuid) for p in rows]


@pytest.mark.parametrize("kind", ["none", "few", "many"])
@pytest.mark.parametrize("by_author_max", [0, 50])
def test_every_feed_plan_pages_through_the_same_posts_as_the_rule(
    kind: str,
    by_author_max: int,
    generated: dict[str, Any],
    as_user: Callable[[User], Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Following no one (own posts by index), a few (by author) and many (newest first),
    with the by-author limit moved so each viewer also goes through the newest-first walk:
    every page size gives exactly the posts of the rule, in order, none skipped or repeated."""
    monkeypatch.setattr(selectors, "FEED_BY_AUTHOR_MAX_FOLLOWING", by_author_max)
    viewer = generated[kind]
    expected = _expected(viewer)
    assert expected, "the dataset gives every viewer a feed"
    client = as_user(viewer)
    for page_size in (1, 4, 7, 100):
        assert _walk(client, page_size) == expected
