"""The home feed read author by author inside the page's cursor window (issue 17).

``WindowedCursorPagination.window`` tells the feed selector, before it builds the query, which
rows the page reads (the cursor's bound, the order, offset + page size + 1); for a viewer
following a few people the selector then takes only each author's first rows of that window
(a ``LATERAL`` subquery on PostgreSQL, a correlated ``IN`` elsewhere). These tests hold it to
the feed without a window: the same pages, links and all, forwards and backwards.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.request import Request
from rest_framework.test import APIClient, APIRequestFactory

from tangerine.accounts.models import Block, Mute, User
from tangerine.core.pagination import CursorWindow, NewestFirstCursorPagination
from tangerine.follows.models import Follow
from tangerine.follows.services import follow_create
from tangerine.posts import selectors
from tangerine.posts.models import Post
from tests.factories import make_post

NEWEST_FIRST = ("-created_at", "-id")


@pytest.fixture
def world(make_user: Callable[..., User], mod: User) -> dict[str, User]:
    """Eight authors with 150 posts, many sharing a timestamp (a run of ten equal ones, longer
    than the small pages, so cursors carry offsets); a prolific followee whose 30 newest posts
    are hidden or drafts; a muted, a blocking, a suspended and an inactive followee (and one
    the viewer following everyone blocked); viewers following no
    one, one, four, and all eight people, and a staff member (who sees hidden posts and
    suspended authors)."""
    rng = random.Random(17)
    authors = [make_user(handle=f"author{i}") for i in range(8)]
    prolific, muted, blocker, suspended = authors[1], authors[2], authors[3], authors[4]
    viewers = {
        "none": make_user(handle="follows_none"),
        "one": make_user(handle="follows_one"),
        "few": make_user(handle="follows_few"),
        "many": make_user(handle="follows_all"),
        "staff": mod,
    }
    follow_create(follower=viewers["one"], followee=prolific)
    for followee in (prolific, muted, blocker, authors[5]):
        follow_create(follower=viewers["few"], followee=followee)
    for followee in authors:
        follow_create(follower=viewers["many"], followee=followee)
    for followee in (prolific, suspended, authors[6]):
        follow_create(follower=viewers["staff"], followee=followee)
    for viewer in (viewers["few"], viewers["many"]):
        Mute.objects.create(muter=viewer, muted=muted)
        # Rows written directly, so the follows stay: the feed's own block rule must drop them.
        Block.objects.create(blocker=blocker, blocked=viewer)
    Block.objects.create(blocker=viewers["many"], blocked=authors[7])

    base = timezone.now() - timedelta(days=2)
    writers = [*authors, viewers["none"], viewers["few"], viewers["many"], viewers["staff"]]
    for i in range(150):
        post = make_post(rng.choice(writers), f"post {i}", index=False)
        # A third of the posts share a timestamp with another (ties broken by id).
        Post.objects.filter(pk=post.pk).update(created_at=base + timedelta(minutes=i // 3 * 2))
    tie = base + timedelta(hours=3, seconds=30)
    for i in range(10):
        post = make_post(authors[i % 2 + 5], f"tie {i}", index=False)
        Post.objects.filter(pk=post.pk).update(created_at=tie)
    newest = base + timedelta(days=1)
    for i in range(30):
        post = make_post(
            prolific,
            f"unseen {i}",
            status=Post.Status.DRAFT if i % 2 else Post.Status.PUBLISHED,
            index=False,
        )
        Post.objects.filter(pk=post.pk).update(
            created_at=newest + timedelta(minutes=i), hidden_at=None if i % 2 else newest
        )
    suspended.suspended_at = timezone.now()
    suspended.save(update_fields=["suspended_at"])
    User.objects.filter(pk=authors[6].pk).update(is_active=False)
    for viewer in viewers.values():
        viewer.refresh_from_db()
    return viewers


def _rule(viewer: User) -> list[str]:
    """The feed's rule written out in Python over every post."""
    followees = set(Follow.objects.filter(follower=viewer).values_list("followee_id", flat=True))
    muted = set(Mute.objects.filter(muter=viewer).values_list("muted_id", flat=True))
    pairs = Block.objects.involving(viewer).values_list("blocker_id", "blocked_id")
    blocked = {pk for pair in pairs for pk in pair} - {viewer.pk}
    rows = [
        p
        for p in Post.objects.select_related("author")
        if (p.author_id in followees or p.author_id == viewer.pk)
        and p.status == Post.Status.PUBLISHED
        # Staff see hidden posts and suspended or inactive authors (``filter_visible``).
        and (viewer.is_staff or p.hidden_at is None)
        and (viewer.is_staff or (p.author.is_active and p.author.suspended_at is None))
        and p.author_id not in muted | blocked
    ]
    rows.sort(key=lambda p: (p.created_at, p.pk), reverse=True)
    return [str(p.uuid) for p in rows]


def _reference(viewer: User, url: str) -> dict[str, Any]:
    """The page DRF's cursor paginator makes of the feed without a window."""
    return paginated(selectors.post_list_for_feed(viewer=viewer), url)


def paginated(queryset: Any, url: str) -> dict[str, Any]:
    """The page (uuids and links) DRF's newest-first cursor paginator makes of ``queryset``."""
    request = Request(APIRequestFactory().get(url))
    paginator = NewestFirstCursorPagination()
    page: list[Any] | None = paginator.paginate_queryset(queryset, request)
    assert page is not None
    return {
        "next": paginator.get_next_link(),
        "previous": paginator.get_previous_link(),
        "results": [str(p.uuid) for p in page],
    }


def _page(client: APIClient, url: str) -> dict[str, Any]:
    response = client.get(url)
    assert response.status_code == 200, response.content
    body = response.json()
    return {**body, "results": [row["uuid"] for row in body["results"]]}


def _walk_both_ways(client: APIClient, viewer: User, page_size: int) -> list[str]:
    """Every page forwards to the end and then backwards to the start, each equal (rows and
    links) to the page without a window; the posts of the forward walk."""
    seen: list[str] = []
    url: str | None = f"http://testserver/api/posts/feed/?page_size={page_size}"
    last = ""
    while url:
        page = _page(client, url)
        assert page == _reference(viewer, url), url
        seen += page["results"]
        last, url = url, page["next"]
    url = _page(client, last)["previous"]
    while url:
        page = _page(client, url)
        assert page == _reference(viewer, url), url
        url = page["previous"]
    return seen


@pytest.mark.parametrize("kind", ["none", "one", "few", "many", "staff"])
@pytest.mark.parametrize("by_author_max", [2, 50])
def test_every_page_is_the_page_without_a_window_forwards_and_backwards(
    kind: str,
    by_author_max: int,
    world: dict[str, User],
    as_user: Callable[[User], APIClient],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """With the by-author limit at 2 the viewer following everyone takes the newest-first
    walk; at 50 every viewer following someone is read author by author. Either way every
    page size gives the rule's posts in order, none skipped or repeated, and each page
    (forwards, then backwards through ``previous``) equals the page without a window."""
    monkeypatch.setattr(selectors, "FEED_BY_AUTHOR_MAX_FOLLOWING", by_author_max)
    viewer = world[kind]
    expected = _rule(viewer)
    assert len(expected) > 8, "the world gives every viewer several pages"
    client = as_user(viewer)
    for page_size in (3, 7, 20, 100):  # 3: the run of ten equal timestamps needs offsets
        assert _walk_both_ways(client, viewer, page_size) == expected, page_size


def test_newer_hidden_posts_and_drafts_do_not_push_out_older_posts(
    world: dict[str, User], as_user: Callable[[User], APIClient]
) -> None:
    """The prolific followee's 30 newest posts are drafts or hidden: more than a page's
    limit, so the per-author read must skip them before it stops, not after."""
    viewer = world["one"]
    first = _page(as_user(viewer), "/api/posts/feed/?page_size=5")["results"]
    assert first == _rule(viewer)[:5]
    texts = set(Post.objects.filter(uuid__in=first).values_list("text", flat=True))
    assert texts and not any(t.startswith("unseen") for t in texts)
    # Staff see hidden posts, so the same read must not drop those for them.
    staff = world["staff"]
    published_unseen = Q(text__startswith="unseen", status=Post.Status.PUBLISHED)
    hidden = {str(p.uuid) for p in Post.objects.filter(published_unseen, hidden_at__isnull=False)}
    staff_first = _page(as_user(staff), "/api/posts/feed/?page_size=20")["results"]
    assert staff_first == _rule(staff)[:20]
    assert hidden & set(staff_first)


def test_muted_blocking_and_suspended_followees_stay_out(
    world: dict[str, User], as_user: Callable[[User], APIClient]
) -> None:
    viewer = world["few"]
    uuids = _walk_both_ways(as_user(viewer), viewer, 100)
    authors = set(Post.objects.filter(uuid__in=uuids).values_list("author__handle", flat=True))
    assert authors == {"author1", "author5", "follows_few"}
    staff = world["staff"]
    staff_uuids = _walk_both_ways(as_user(staff), staff, 100)
    handles = set(
        Post.objects.filter(uuid__in=staff_uuids).values_list("author__handle", flat=True)
    )
    assert "author4" in handles  # suspended, but staff see them (``filter_visible``)


@pytest.mark.parametrize("ordering", [NEWEST_FIRST, ("created_at", "id")])
@pytest.mark.parametrize("limit", [1, 4, 30])
def test_a_window_holds_exactly_its_first_rows(
    world: dict[str, User], ordering: tuple[str, ...], limit: int
) -> None:
    """Unsliced, the windowed feed is the window's first ``limit`` rows of the feed (inside the
    bound, in the window's order) and nothing else, whatever the authors' shares."""
    viewer = world["many"]
    full = list(selectors.post_list_for_feed(viewer=viewer).order_by(*ordering))
    bound_at = full[len(full) // 3].created_at
    newest_first = ordering == NEWEST_FIRST
    bound = {f"created_at__{'lt' if newest_first else 'gt'}": str(bound_at)}
    inside = [
        p for p in full if (p.created_at < bound_at if newest_first else p.created_at > bound_at)
    ]
    window = CursorWindow(ordering=ordering, limit=limit, bound=bound)
    windowed = selectors.post_list_for_feed(viewer=viewer, window=window).order_by(*ordering)
    assert [p.pk for p in windowed] == [p.pk for p in inside[:limit]]
    authors = [p.author_id for p in inside[:limit]]
    assert limit < 4 or max(authors.count(a) for a in authors) > 1  # one author, several rows


def _feed_sql(client: APIClient, url: str) -> str:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return next(q["sql"] for q in ctx.captured_queries if '"posts_post"."uuid"' in q["sql"])


def test_only_a_viewer_following_a_few_is_read_author_by_author(
    world: dict[str, User], as_user: Callable[[User], APIClient], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(selectors, "FEED_BY_AUTHOR_MAX_FOLLOWING", 4)
    lateral = "LATERAL" if connection.vendor == "postgresql" else '"_feed_posts"'
    first = _feed_sql(as_user(world["few"]), "/api/posts/feed/?page_size=3")
    assert "_feed_authors" in first and lateral in first
    assert "LIMIT 4)" in first  # the page's 3 + 1, inside the per-author read
    client = as_user(world["few"])
    second = _feed_sql(client, _page(client, "/api/posts/feed/?page_size=3")["next"])
    assert "_feed_authors" in second
    for kind in ("none", "many"):  # my posts off an index; the newest-first walk
        assert "_feed_authors" not in _feed_sql(as_user(world[kind]), "/api/posts/feed/")


@pytest.mark.parametrize("kind", ["one", "few"])
def test_a_windowed_feed_page_costs_a_fixed_number_of_queries(
    kind: str,
    world: dict[str, User],
    as_user: Callable[[User], APIClient],
    django_assert_num_queries: Any,
) -> None:
    client = as_user(world[kind])
    for page_size in (1, 20, 100):
        # auth user + page (tags, images and mentions are columns of it: posts.cards)
        with django_assert_num_queries(2):
            page = _page(client, f"/api/posts/feed/?page_size={page_size}")
        assert len(page["results"]) == min(page_size, len(_rule(world[kind])))
    page = _page(client, "/api/posts/feed/?page_size=3")
    with django_assert_num_queries(2):
        _page(client, page["next"])


def test_a_bad_cursor_or_page_size_is_refused(
    world: dict[str, User], as_user: Callable[[User], APIClient]
) -> None:
    client = as_user(world["few"])
    assert client.get("/api/posts/feed/?cursor=bz14").status_code == 404  # "o=x"
    assert client.get("/api/posts/feed/?page_size=0").status_code == 400
    assert APIClient().get("/api/posts/feed/").status_code == 401


def test_viewers_sharing_a_compiled_shape_each_get_their_own_feed(
    world: dict[str, User],
) -> None:
    """The per-author read, for viewers in turn (the API compiles its page once per shape:
    ``tests/posts/test_compiled_pages.py``): one viewer's page never leaks into another's,
    staff or not, first page or later."""
    later = {"created_at__lt": str(timezone.now() - timedelta(days=1, hours=12))}
    for bound in ({}, later):
        window = CursorWindow(ordering=NEWEST_FIRST, limit=6, bound=bound)
        for kind in ("one", "few", "many", "staff", "one"):
            viewer = world[kind]
            page = selectors.post_list_for_feed(viewer=viewer, window=window).filter(**bound)
            expected = selectors.post_list_for_feed(viewer=viewer).filter(**bound)
            assert [p.pk for p in page[:6]] == [p.pk for p in expected[:6]], (kind, bound)
            assert len(list(page)) == min(6, expected.count()) > 0
