"""The notification list and unread count from queries compiled once per kind of recipient
(``core.compiled``): each recipient's own rows and rules, equal to the ORM's, from the
compiled path (the API tests beside this one hold every rule through it)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tangerine.accounts.models import Block, Mute
from tangerine.core import compiled
from tangerine.notifications import selectors, services
from tests.posts.test_feed_window import paginated

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh() -> Iterator[None]:
    compiled.forget_all()
    yield
    compiled.forget_all()


def _shapes() -> dict[Any, Any]:
    return {key: v for key, v in compiled._compiled.items() if "notifications." in repr(key)}


def test_two_recipients_share_one_shape_and_keep_their_own_rules(
    alice: Any, bob: Any, carol: Any, make_user: Any, as_user: Any, make_post: Any
) -> None:
    dave = make_user(handle="dave")
    for actor in (bob, carol, dave):
        services.notify_follow(follower=actor, followee=alice)
    for actor in (alice, carol):
        services.notify_follow(follower=actor, followee=bob)
        services.notify_post_liked(user=actor, post=make_post(bob))
    Block.objects.create(blocker=alice, blocked=carol)
    Mute.objects.create(muter=bob, muted=alice)
    seen = {}
    for user in (alice, bob, alice):
        body = as_user(user).get("/api/notifications/?page_size=2").json()
        reference = paginated(selectors.notification_list(recipient=user), "/x/?page_size=2")
        seen[user.handle] = [row["uuid"] for row in body["results"]]
        assert seen[user.handle] == reference["results"]
        unread = selectors.notification_list(recipient=user).filter(read_at__isnull=True)
        assert body["unread_count"] == unread.count()
        handles = {a["handle"] for row in body["results"] for a in row["actors"]}
        assert handles and not handles & ({"carol"} if user == alice else {"alice"})
    # Alice: one group of follows (bob and dave; carol blocked). Bob: the follow group (carol;
    # alice muted) and carol's like (alice's like is left out).
    assert [len(seen["alice"]), len(seen["bob"])] == [1, 2]
    shapes = _shapes()
    # Not staff: one shape for the first page, one for the unread count; none refused.
    assert len(shapes) == 2 and None not in shapes.values()
    assert as_user(bob).get("/api/notifications/unread-count/").json() == {"unread_count": 2}
