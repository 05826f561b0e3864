"""The home feed, latest posts and a post's comments from queries compiled once per shape
(``core.compiled``, ``posts.selectors.post_page_*``, ``comment_page_for_post``): for every kind
of viewer, every page (forwards and backwards, with cursors carrying offsets) equals the page
DRF's paginator makes of the ORM's queryset, and the compiled path is the one that served it.
A post read by uuid (``post_get``, ``post_get_visible``) is the ORM's ``.first()``."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.http import Http404
from django.utils import timezone
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.test import APIClient, APIRequestFactory

from tangerine.accounts.models import User
from tangerine.core import compiled
from tangerine.core.pagination import OldestFirstCursorPagination
from tangerine.posts import selectors
from tangerine.posts.models import Comment, Post
from tangerine.posts.serializers import CommentSerializer, PostSerializer
from tangerine.posts.services.mentions import mentions_sync
from tests.factories import make_comment, make_post
from tests.posts import test_feed_window

world = test_feed_window.world  # the feed tests' fixture: viewers of every kind
_walk_both_ways = test_feed_window._walk_both_ways


@pytest.fixture(autouse=True)
def _fresh() -> Iterator[None]:
    compiled.forget_all()
    yield
    compiled.forget_all()


def _served_compiled(prefix: str) -> list[Any]:
    shapes = [v for key, v in compiled._compiled.items() if f"('{prefix}'," in repr(key)]
    assert shapes, f"no {prefix} page was compiled"
    assert all(v is not None for v in shapes), "a shape fell back to the ORM"
    return shapes


@pytest.mark.parametrize("kind", ["none", "one", "few", "many", "staff"])
def test_feed_pages_are_the_orms_pages(
    kind: str,
    world: dict[str, User],
    as_user: Callable[[User], APIClient],
) -> None:
    viewer = world[kind]
    for page_size in (3, 20):
        assert _walk_both_ways(as_user(viewer), viewer, page_size)
    _served_compiled("posts.feed")


def _latest_reference(viewer: User | None, url: str) -> dict[str, Any]:
    return test_feed_window.paginated(selectors.post_list_latest(viewer=viewer), url)


def _latest_walk(client: APIClient, viewer: User | None, page_size: int) -> list[str]:
    seen: list[str] = []
    url: str | None = f"http://testserver/api/posts/latest/?page_size={page_size}"
    last = ""
    while url:
        response = client.get(url)
        assert response.status_code == 200, response.content
        body = response.json()
        page = {**body, "results": [row["uuid"] for row in body["results"]]}
        assert page == _latest_reference(viewer, url), url
        seen += page["results"]
        last, url = url, page["next"]
    url = client.get(last).json()["previous"]
    while url:
        body = client.get(url).json()
        page = {**body, "results": [row["uuid"] for row in body["results"]]}
        assert page == _latest_reference(viewer, url), url
        url = page["previous"]
    return seen


@pytest.mark.parametrize("kind", ["anonymous", "few", "many", "staff"])
def test_latest_pages_are_the_orms_pages(
    kind: str,
    world: dict[str, User],
    as_user: Callable[[User], APIClient],
) -> None:
    """Mutes and blocks (``few``, ``many``), hidden posts and suspended authors (staff), and
    anonymous visitors: each their own shape, each page the ORM's."""
    viewer = None if kind == "anonymous" else world[kind]
    client = APIClient() if viewer is None else as_user(viewer)
    seen = _latest_walk(client, viewer, 7)
    assert len(seen) == len(set(seen)) > 20
    _served_compiled("posts.latest")


def test_one_shape_serves_many_viewers_without_mixing_them(
    world: dict[str, User],
    as_user: Callable[[User], APIClient],
) -> None:
    """``few`` and ``many`` share the latest list's shape (signed in, not staff): one compiled
    query, each viewer's own mutes and blocks."""
    pages = {}
    for kind in ("few", "many", "few"):
        body = as_user(world[kind]).get("/api/posts/latest/?page_size=100").json()
        pages[kind] = [row["uuid"] for row in body["results"]]
        assert (
            pages[kind]
            == _latest_reference(world[kind], "/api/posts/latest/?page_size=100")["results"]
        )
    assert pages["few"] != pages["many"]
    assert len(_served_compiled("posts.latest")) == 1


@pytest.fixture
def conversation(world: dict[str, User]) -> Post:
    """A post with 40 comments by everyone in the world (a muted, a blocking, a suspended and
    an inactive author among them), some hidden, a run of eight sharing one timestamp."""
    authors = list(User.objects.filter(handle__startswith="author").order_by("handle"))
    writers = [*authors, *world.values()]
    post = make_post(authors[0], "conversation", index=False)
    base = timezone.now() - timedelta(hours=5)
    for i in range(40):
        writer = writers[i % len(writers)]
        comment = make_comment(post, writer, f"@author3 @author0 comment {i}")
        mentions_sync(target=comment, author=writer)
        at = base + timedelta(minutes=10) if 10 <= i < 18 else base + timedelta(minutes=i)
        Comment.objects.filter(pk=comment.pk).update(
            created_at=at, hidden_at=timezone.now() if i % 9 == 4 else None
        )
    return post


def _comments_reference(viewer: User | None, post: Post, url: str) -> dict[str, Any]:
    request = Request(APIRequestFactory().get(url))
    paginator = OldestFirstCursorPagination()
    page = paginator.paginate_queryset(
        selectors.comment_list_for_post(viewer=viewer, post=post), request
    )
    assert page is not None
    return {
        "next": paginator.get_next_link(),
        "previous": paginator.get_previous_link(),
        "results": json.loads(JSONRenderer().render(CommentSerializer(page, many=True).data)),
    }


@pytest.mark.parametrize("kind", ["anonymous", "few", "many", "staff"])
def test_comment_pages_are_the_orms_pages(
    kind: str,
    world: dict[str, User],
    conversation: Post,
    as_user: Callable[[User], APIClient],
) -> None:
    """Blocks, hidden comments, suspended and inactive authors, anonymous visitors: every page
    forwards and backwards (cursors carrying offsets in the run of equal timestamps) equals the
    page DRF's paginator makes of the ORM's queryset, served compiled."""
    viewer = None if kind == "anonymous" else world[kind]
    client = APIClient() if viewer is None else as_user(viewer)

    def checked(url: str) -> dict[str, Any]:
        body: dict[str, Any] = client.get(url).json()
        assert body == _comments_reference(viewer, conversation, url), url
        return body

    url: str | None = f"http://testserver/api/comments/?post={conversation.uuid}&page_size=3"
    seen: list[str] = []
    while url:  # to the end
        body = checked(url)
        seen += [row["uuid"] for row in body["results"]]
        url = body["next"]
    url = body["previous"]
    while url:  # and back to the start
        url = checked(url)["previous"]
    assert len(seen) == len(set(seen)) > 20
    # The comments mention someone who blocks "few" and "many": hidden from them alone.
    mentioned = {
        m["handle"]
        for row in client.get(f"/api/comments/?post={conversation.uuid}&page_size=100").json()[
            "results"
        ]
        for m in row["mentions"]
    }
    assert "author0" in mentioned
    assert ("author3" in mentioned) == (kind not in ("few", "many"))
    _served_compiled("comments.post")
    _served_compiled("posts.visible")  # the post, through post_get_visible


def test_one_comment_shape_serves_many_posts_and_viewers(
    world: dict[str, User], conversation: Post, as_user: Callable[[User], APIClient]
) -> None:
    other = make_post(world["few"], "another", index=False)
    mine = make_comment(other, world["many"], "on another post")
    for kind in ("few", "many"):
        for post in (conversation, other):
            url = f"/api/comments/?post={post.uuid}&page_size=100"
            body = as_user(world[kind]).get(url).json()
            assert body["results"] == _comments_reference(world[kind], post, url)["results"]
    assert str(mine.uuid) in {
        row["uuid"]
        for row in as_user(world["few"])
        .get(f"/api/comments/?post={other.uuid}&page_size=100")
        .json()["results"]
    }
    assert len(_served_compiled("comments.post")) == 1


@pytest.mark.parametrize("kind", ["anonymous", "none", "few", "many", "staff"])
def test_a_post_read_by_uuid_is_the_orms_first(kind: str, world: dict[str, User]) -> None:
    """``post_get`` (the detail page) and ``post_get_visible`` (writes on a post, comment lists)
    answer every post as the ORM's ``.first()`` does: hidden posts, drafts (the viewer's own
    and others'), blocked, suspended and inactive authors; the same card for the detail."""
    viewer = None if kind == "anonymous" else world[kind]
    blocker = User.objects.get(handle="author3")  # blocks "few" and "many"
    for writer in (world["few"], world["many"]):  # drafts of their own, and others'
        for status in (Post.Status.DRAFT, Post.Status.PUBLISHED):
            post = make_post(writer, f"@{blocker.handle} @author0 {status}", status=status)
            mentions_sync(target=post, author=writer)
    answered = 0
    for post in Post.objects.order_by("pk"):
        detail = selectors.post_qs(viewer=viewer).filter(uuid=post.uuid).first()
        visible = Post.objects.visible_to(viewer).filter(uuid=post.uuid).first()
        try:
            got = selectors.post_get(viewer=viewer, uuid=str(post.uuid))
        except Http404:
            assert detail is None
        else:
            assert detail is not None
            assert PostSerializer(got).data == PostSerializer(detail).data
            answered += 1
            if post.text.startswith("@author3"):
                mentioned = {m["handle"] for m in PostSerializer(got).data["mentions"]}
                # A mention of someone who blocks the viewer is not shown to the viewer.
                assert ("author3" in mentioned) == (kind not in ("few", "many")), post.text
        try:
            bare = selectors.post_get_visible(viewer=viewer, uuid=post.uuid)
        except Http404:
            assert visible is None
        else:
            assert visible is not None and bare.pk == visible.pk
    assert 0 < answered < Post.objects.count()
    own_draft = Post.objects.filter(author=viewer, status=Post.Status.DRAFT).first()
    if own_draft is not None:  # "few" and "many" read their own drafts, no one else's
        assert selectors.post_get(viewer=viewer, uuid=own_draft.uuid).pk == own_draft.pk
    with pytest.raises(Http404):
        selectors.post_get(viewer=viewer, uuid="not-a-uuid")
    # One shape each for this kind of viewer.
    assert len(_served_compiled("posts.get")) == len(_served_compiled("posts.visible")) == 1
