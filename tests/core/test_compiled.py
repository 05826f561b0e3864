"""Querysets compiled once per shape (core/compiled.py): the values filled in per run, the
self-check that refuses a shape whose SQL holds more than its slots, and the page object that
stands in for a queryset under ``CursorPagination``."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.db.models import QuerySet
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tangerine.accounts.models import User
from tangerine.core import compiled
from tangerine.core.compiled import (
    CompiledPage,
    NotCompilableError,
    compiled_query,
    count_slot,
    first_compiled,
    pk_slot,
    text_slot,
    uuid_slot,
)
from tangerine.posts.models import Post
from tests.factories import make_post


@pytest.fixture(autouse=True)
def _fresh() -> Iterator[None]:
    compiled.forget_all()
    yield
    compiled.forget_all()


def _posts_of(values: Mapping[str, Any]) -> QuerySet[Post]:
    return (
        Post.objects.filter(author_id=values["author"])
        .select_related("author")
        .order_by("-created_at", "-id")
    )


def test_a_compiled_query_fills_in_each_runs_values(make_user: Callable[..., User]) -> None:
    alice, bob = make_user(handle="alice"), make_user(handle="bob")
    mine = {alice.pk: [make_post(alice, f"a{i}", index=False) for i in range(3)]}
    mine[bob.pk] = [make_post(bob, "b", index=False)]
    query = compiled_query("posts-of", _posts_of, {"author": pk_slot()}, "default")
    for user in (alice, bob, alice):
        with CaptureQueriesContext(connection) as ctx:
            rows = query.run({"author": user.pk})
        assert len(ctx.captured_queries) == 1  # select_related author: no query per row
        assert [p.pk for p in rows] == [p.pk for p in _posts_of({"author": user.pk})]
        assert {p.author.handle for p in rows} == {user.handle}
        assert all(isinstance(p.created_at, type(timezone.now())) for p in rows)
    assert query.run({"author": -5}) == []
    # The same shape is built once.
    assert compiled_query("posts-of", _posts_of, {"author": pk_slot()}, "default") is query


def test_a_shape_whose_sql_holds_the_clock_is_refused_and_never_remembered(
    make_user: Callable[..., User],
) -> None:
    """``timezone.now()`` lands among the parameters where no slot is: the two builds differ
    there, so the shape is refused (and stays refused) instead of freezing the first time."""
    calls = []

    def recent(values: Mapping[str, Any]) -> QuerySet[Post]:
        calls.append(1)
        since = timezone.now() - timedelta(days=1)
        return Post.objects.filter(author_id=values["author"], created_at__gte=since)

    with pytest.raises(NotCompilableError):
        compiled_query("recent", recent, {"author": pk_slot()}, "default")
    with pytest.raises(NotCompilableError):
        compiled_query("recent", recent, {"author": pk_slot()}, "default")
    assert len(calls) == 2  # built twice for the check, once; not rebuilt after


def test_a_value_that_is_not_a_slot_is_refused(make_user: Callable[..., User]) -> None:
    """A builder that ignores its slot and uses a real value would bake that value in."""
    alice = make_user(handle="alice")
    counter = iter(range(100))

    def leaky(values: Mapping[str, Any]) -> QuerySet[Post]:
        return Post.objects.filter(author_id=alice.pk, view_count__gte=next(counter))

    with pytest.raises(NotCompilableError):
        compiled_query("leaky", leaky, {"author": pk_slot()}, "default")


def test_a_slot_the_orm_drops_is_refused(make_user: Callable[..., User]) -> None:
    """The ORM drops a comparison with a value outside its column's range (``view_count >=
    -1`` is always true): with negative stand-ins the slot lands nowhere, and compiling that
    would ignore every real value. Refused; ``count_slot``'s stand-ins are inside the range."""
    alice = make_user(handle="alice")
    seen = make_post(alice, "seen", index=False, view_count=5)
    make_post(alice, "unseen", index=False)

    def seen_at_least(values: Mapping[str, Any]) -> QuerySet[Post]:
        return Post.objects.filter(view_count__gte=values["n"], status=values["status"])

    status = text_slot(Post._meta.get_field("status"))
    with pytest.raises(NotCompilableError):
        compiled_query("dropped", seen_at_least, {"n": pk_slot(), "status": status}, "default")
    query = compiled_query("kept", seen_at_least, {"n": count_slot(), "status": status}, "default")
    assert [p.pk for p in query.run({"n": 3, "status": "published"})] == [seen.pk]
    assert query.run({"n": 3, "status": "draft"}) == []
    assert len(query.run({"n": 0, "status": "published"})) == 2


def test_past_the_limit_the_least_recently_used_shape_goes(
    make_user: Callable[..., User], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Many rare shapes (a client sweeping page sizes) push out the rare ones, not every shape:
    the one in use stays compiled."""
    monkeypatch.setattr(compiled, "MAX_SHAPES", 3)
    alice = make_user(handle="alice")
    make_post(alice, "a", index=False)
    slots = {"author": pk_slot()}
    hot = compiled_query("hot", _posts_of, slots, "default")
    for rare in range(10):
        compiled_query(("rare", rare), _posts_of, slots, "default")
        assert compiled_query("hot", _posts_of, slots, "default") is hot  # used: kept
    assert len(compiled._compiled) == 3
    assert ("default", ("rare", 0)) not in compiled._compiled
    assert [p.author_id for p in hot.run({"author": alice.pk})] == [alice.pk]


def _page(author: User) -> CompiledPage:
    return CompiledPage(
        key="test-page",
        build=lambda values: Post.objects.filter(author_id=values["author"]),
        slots={"author": pk_slot()},
        values={"author": author.pk},
        bound_field=Post._meta.get_field("created_at"),
        using="default",
    )


def test_a_compiled_page_is_the_querysets_page(make_user: Callable[..., User]) -> None:
    alice = make_user(handle="alice")
    posts = [make_post(alice, f"p{i}", index=False) for i in range(6)]
    base = timezone.now() - timedelta(hours=1)
    for i, post in enumerate(posts):
        Post.objects.filter(pk=post.pk).update(created_at=base + timedelta(minutes=i // 2))
    ordered = list(Post.objects.filter(author=alice).order_by("-created_at", "-id"))
    page = _page(alice).order_by("-created_at", "-id")
    assert [p.pk for p in page[0:4]] == [p.pk for p in ordered[:4]]
    bound = str(ordered[1].created_at)  # as a cursor carries it: text
    later = page.filter(created_at__lt=bound)
    newest_first = ("-created_at", "-id")
    expected = Post.objects.filter(author=alice, created_at__lt=bound).order_by(*newest_first)
    assert [p.pk for p in later[0:3]] == [p.pk for p in expected[:3]]
    assert [p.pk for p in later[1:3]] == [p.pk for p in expected[1:3]]
    oldest_first = _page(alice).order_by("created_at", "id").filter(created_at__gt=bound)
    expected = Post.objects.filter(author=alice, created_at__gt=bound).order_by("created_at", "id")
    assert [p.pk for p in oldest_first[0:10]] == [p.pk for p in expected]
    assert compiled._compiled and all(v is not None for v in compiled._compiled.values())


def test_a_compiled_page_refuses_what_it_cannot_serve(make_user: Callable[..., User]) -> None:
    page = _page(make_user(handle="alice"))
    with pytest.raises(TypeError):
        page.filter(author__handle="x")
    with pytest.raises(TypeError):
        page[3]  # type: ignore[index]


def test_a_page_whose_shape_is_refused_still_answers_through_the_orm(
    make_user: Callable[..., User],
) -> None:
    alice = make_user(handle="alice")
    new = make_post(alice, "new", index=False)
    old = make_post(alice, "old", index=False)
    Post.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=3))
    page = CompiledPage(
        key="clocked",
        build=lambda values: Post.objects.filter(
            author_id=values["author"], created_at__gte=timezone.now() - timedelta(days=1)
        ),
        slots={"author": pk_slot()},
        values={"author": alice.pk},
        bound_field=Post._meta.get_field("created_at"),
        using="default",
    ).order_by("-created_at", "-id")
    assert [p.pk for p in page[0:5]] == [new.pk]
    assert [p.pk for p in page[0:5]] == [new.pk]
    assert list(compiled._compiled.values()) == [None]


def test_two_slots_with_the_same_stand_ins_are_refused(make_user: Callable[..., User]) -> None:
    """Where two slots' stand-ins are equal, a parameter could be either: refused outright."""
    alice = make_user(handle="alice")

    def both(values: Mapping[str, Any]) -> QuerySet[Post]:
        return Post.objects.filter(author_id=values["author"]).exclude(pk=values["post"])

    with pytest.raises(ValueError, match="share their stand-ins"):
        compiled_query("two", both, {"author": pk_slot(), "post": pk_slot()}, "default")
    post = make_post(alice, "a", index=False)
    other = make_post(alice, "b", index=False)
    query = compiled_query("two", both, {"author": pk_slot(), "post": pk_slot(1)}, "default")
    assert [p.pk for p in query.run({"author": alice.pk, "post": post.pk})] == [other.pk]


def test_first_compiled_is_the_querysets_first(make_user: Callable[..., User]) -> None:
    alice, bob = make_user(handle="alice"), make_user(handle="bob")
    posts = [make_post(alice, f"a{i}", index=False) for i in range(3)]
    slots = {"author": pk_slot(), "uuid": uuid_slot(Post._meta.get_field("uuid"))}

    def by_uuid(values: Mapping[str, Any]) -> QuerySet[Post]:
        return Post.objects.filter(author_id=values["author"], uuid=values["uuid"])

    for post in posts:
        found = first_compiled(
            "by-uuid", by_uuid, slots, {"author": alice.pk, "uuid": post.uuid}, "default"
        )
        assert found is not None and found.pk == post.pk and found.title == post.title
    # Another author's key, or an unknown uuid: nothing, as .first() gives.
    assert (
        first_compiled(
            "by-uuid", by_uuid, slots, {"author": bob.pk, "uuid": posts[0].uuid}, "default"
        )
        is None
    )
    assert len(compiled._compiled) == 1 and None not in compiled._compiled.values()

    # Unordered: the first by primary key, as .first() orders it.
    def of_author(values: Mapping[str, Any]) -> QuerySet[Post]:
        return Post.objects.filter(author_id=values["author"]).order_by()

    first = first_compiled(
        "of-author", of_author, {"author": pk_slot()}, {"author": alice.pk}, "default"
    )
    assert first is not None and first.pk == min(p.pk for p in posts)


def test_first_compiled_answers_through_the_orm_when_refused(
    make_user: Callable[..., User],
) -> None:
    alice = make_user(handle="alice")
    post = make_post(alice, "new", index=False)

    def clocked(values: Mapping[str, Any]) -> QuerySet[Post]:
        return Post.objects.filter(
            author_id=values["author"], created_at__gte=timezone.now() - timedelta(days=1)
        )

    for _ in range(2):
        found = first_compiled(
            "clocked", clocked, {"author": pk_slot()}, {"author": alice.pk}, "default"
        )
        assert found is not None and found.pk == post.pk
    assert list(compiled._compiled.values()) == [None]
