"""The home feed and latest posts from queries compiled once per shape (``core.compiled``,
``posts.selectors.post_page_*``): for every kind of viewer, every page (forwards and backwards,
with cursors carrying offsets) equals the page DRF's paginator makes of the ORM's queryset, and
the compiled path is the one that served it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from rest_framework.test import APIClient

from tangerine.accounts.models import User
from tangerine.core import compiled
from tangerine.posts import selectors
from tests.posts import test_feed_window

world = test_feed_window.world  # the feed tests' fixture: viewers of every kind
_walk_both_ways = test_feed_window._walk_both_ways


@pytest.fixture(autouse=True)
def _fresh() -> Iterator[None]:
    compiled.forget_all()
    yield
    compiled.forget_all()


def _served_compiled(prefix: str) -> list[Any]:
    shapes = [
        v
        for key, v in compiled._compiled.items()
        if repr(key).startswith(f"('default', (('{prefix}'")
    ]
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
