"""@handle mentions in posts, comments and replies: parsed on save, shown, announced once."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.db import close_old_connections, connection
from django.utils import timezone
from rest_framework.test import APIClient

from tangerine.accounts.models import User
from tangerine.accounts.services import block_create
from tangerine.posts import hooks, services
from tangerine.posts.models import Mention, Post
from tangerine.posts.services.mentions import MAX_MENTIONS, mention_handles

AsUser = Callable[[User], APIClient]


@pytest.fixture
def announced() -> Iterator[list[hooks.Mentioned]]:
    """Every ``posts.mentioned`` payload sent during the test."""
    got: list[hooks.Mentioned] = []
    hooks.mentioned.connect(got.append)
    try:
        yield got
    finally:
        hooks.mentioned.receivers.remove(got.append)


def who(payloads: list[hooks.Mentioned]) -> list[tuple[str, list[str]]]:
    return [(p.kind, [u.handle for u in p.users]) for p in payloads]


def test_handles_are_found_in_order_once_and_not_in_emails_or_paths() -> None:
    text = (
        "@Bob 안녕 @carol, @bob again; mail me@alice.com, see x.com/@dave @ab "
        "@a_very_long_handle_that_is_too_long_x"
    )
    assert mention_handles(text) == ["bob", "carol"]
    assert mention_handles("(@bob) 감사해요@carol!") == ["bob", "carol"]
    assert len(mention_handles(" ".join(f"@user{i:03d}" for i in range(50)))) == MAX_MENTIONS


@pytest.mark.django_db(transaction=True)
def test_a_post_mentions_people_and_announces_them_after_commit(
    alice: User, bob: User, carol: User, as_user: AsUser, announced: list[hooks.Mentioned]
) -> None:
    response = as_user(alice).post(
        "/api/posts/p/",
        {"text": "@carol @BOB @nobody_here @alice 귤 보세요"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    # Shown in the order typed; the unknown handle is ignored; the author's own is shown.
    assert response.json()["mentions"] == [
        {"handle": "carol", "display_name": "Carol 캐럴"},
        {"handle": "bob", "display_name": "Bob 밥"},
        {"handle": "alice", "display_name": "Alice 앨리스"},
    ]
    # The author is never announced.
    assert who(announced) == [("post", ["carol", "bob"])]
    assert announced[0].author == alice
    assert isinstance(announced[0].target, Post)


def test_the_hook_waits_for_the_commit(
    alice: User,
    bob: User,
    announced: list[hooks.Mentioned],
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.post_create(author=alice, text="hi @bob")
    assert announced == []
    for callback in callbacks:
        callback()
    assert who(announced) == [("post", ["bob"])]


def test_an_edit_announces_only_people_it_adds_and_never_twice(
    alice: User,
    bob: User,
    carol: User,
    make_user: Callable[..., User],
    announced: list[hooks.Mentioned],
    django_capture_on_commit_callbacks: Any,
) -> None:
    dave = make_user(handle="dave")
    with django_capture_on_commit_callbacks(execute=True):
        post = services.post_create(author=alice, text="hi @bob")
        services.post_update(post=post, data={"text": "hi @bob and @carol"})
        services.post_update(post=post, data={"text": "only @carol now"})
        services.post_update(post=post, data={"text": "@bob is back, @carol @dave"})
        services.post_update(post=post, data={"title": "title only"})
    assert who(announced) == [("post", ["bob"]), ("post", ["carol"]), ("post", ["dave"])]
    assert [
        m.user.handle for m in Mention.objects.filter(post=post, in_text=True).order_by("position")
    ] == [
        "bob",
        "carol",
        "dave",
    ]
    del dave


def test_comments_and_replies_mention_and_edits_mark_them_edited(
    alice: User,
    bob: User,
    carol: User,
    as_user: AsUser,
    make_post: Callable[..., Post],
    announced: list[hooks.Mentioned],
    django_capture_on_commit_callbacks: Any,
) -> None:
    post = make_post(alice)
    with django_capture_on_commit_callbacks(execute=True):
        comment = as_user(bob).post(
            "/api/comments/", {"post": str(post.uuid), "text": "@alice 어디서?"}
        )
        assert comment.status_code == 201
        body = comment.json()
        assert body["mentions"] == [{"handle": "alice", "display_name": "Alice 앨리스"}]
        assert body["edited_at"] is None
        url = f"/api/comments/{body['uuid']}/"
        # The same text again is no edit.
        assert as_user(bob).patch(url, {"text": "@alice 어디서?"}).json()["edited_at"] is None
        edited = as_user(bob).patch(url, {"text": "@alice @carol 어디서?"}).json()
        assert edited["edited_at"] is not None
        assert [m["handle"] for m in edited["mentions"]] == ["alice", "carol"]
        reply = as_user(carol).post(f"{url}replies/", {"text": "@bob @carol 제주요"})
        assert reply.status_code == 201
        assert reply.json()["edited_at"] is None
        reply_url = f"/api/replies/{reply.json()['uuid']}/"
        changed = as_user(carol).patch(reply_url, {"text": "@bob 제주 시장이요"}).json()
        assert changed["edited_at"] is not None
        assert [m["handle"] for m in changed["mentions"]] == ["bob"]
    assert who(announced) == [("comment", ["alice"]), ("comment", ["carol"]), ("reply", ["bob"])]


def test_mentions_of_blocked_suspended_or_unknown_people_are_not_shown_or_announced(
    alice: User,
    bob: User,
    carol: User,
    make_user: Callable[..., User],
    as_user: AsUser,
    announced: list[hooks.Mentioned],
    django_capture_on_commit_callbacks: Any,
) -> None:
    gone = make_user(handle="gone_user", suspended_at=timezone.now())
    block_create(blocker=carol, blocked=alice)
    with django_capture_on_commit_callbacks(execute=True):
        response = as_user(alice).post(
            "/api/posts/p/", {"text": "@bob @carol @gone_user @ghost_user"}, format="json"
        )
    assert [m["handle"] for m in response.json()["mentions"]] == ["bob"]
    # carol blocked alice: she is not announced to, and alice does not see her linked.
    assert who(announced) == [("post", ["bob"])]
    # Bob sees carol in it (nothing stands between them) but not the suspended user.
    seen_by_bob = as_user(bob).get(f"/api/posts/p/{response.json()['uuid']}/").json()
    assert [m["handle"] for m in seen_by_bob["mentions"]] == ["bob", "carol"]
    del gone


@pytest.mark.django_db(transaction=True)
@pytest.mark.postgres
def test_parallel_edits_adding_the_same_person_announce_them_once(
    alice: User, bob: User, announced: list[hooks.Mentioned]
) -> None:
    post = services.post_create(author=alice, text="no one yet")
    barrier = threading.Barrier(8)
    errors: list[BaseException] = []

    def edit(i: int) -> None:
        try:
            barrier.wait()
            fresh = Post.objects.get(pk=post.pk)
            services.post_update(post=fresh, data={"text": f"@bob look {i}"})
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            close_old_connections()

    threads = [threading.Thread(target=edit, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert who(announced) == [("post", ["bob"])]
    assert Mention.objects.filter(post=post).count() == 1
    assert connection.vendor == "postgresql"
