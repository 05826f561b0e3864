"""A notification's shown actors are a JSON column of its row (``notifications.cards``): the
newest ``SHOWN_ACTORS`` actors the recipient may see, with their profile images. Here the
column is held equal to the ORM's own query of the same rule (``visible_actor_rows``), for
every kind of actor a recipient may or may not see, ties in time included, on PostgreSQL and
SQLite, through the list selector and its compiled page."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from tangerine.accounts.models import Block, Mute, User
from tangerine.accounts.serializers import user_brief
from tangerine.images.models import Image
from tangerine.notifications import selectors, services
from tangerine.notifications.cards import SHOWN_ACTORS, card_actors
from tangerine.notifications.models import Notification, NotificationActor
from tangerine.notifications.serializers import notification_actors
from tests.factories import ImageFactory

pytestmark = pytest.mark.django_db


def _reference(recipient: User, notification: Notification) -> list[dict[str, Any]]:
    rows = (
        selectors.visible_actor_rows(recipient=recipient)
        .filter(notification=notification)
        .select_related("actor__profile_image")
        .order_by("-created_at", "-id")[:SHOWN_ACTORS]
    )
    return [user_brief(row.actor) for row in rows]


def _listed(recipient: User) -> dict[int, list[dict[str, Any]]]:
    return {
        n.pk: [user_brief(actor) for actor in notification_actors(n)]
        for n in selectors.notification_list(recipient=recipient)
    }


def _follow_group(recipient: User, actors: list[User]) -> Notification:
    for actor in actors:
        services.notify_follow(follower=actor, followee=recipient)
    return Notification.objects.get(recipient=recipient, kind="follow")


def test_the_column_is_the_newest_visible_actors(alice: User, make_user: Any) -> None:
    people = [make_user(handle=f"p{i}") for i in range(9)]
    ready = ImageFactory.create(owner=people[8])
    pending = ImageFactory.create(owner=people[7], status=Image.Status.PENDING, variants=[])
    User.objects.filter(pk=people[8].pk).update(profile_image=ready)
    User.objects.filter(pk=people[7].pk).update(profile_image=pending)
    group = _follow_group(alice, people)
    # The newest actors are each hidden another way, so the shown three come from further back.
    Block.objects.create(blocker=alice, blocked=people[8])
    Block.objects.create(blocker=people[6], blocked=alice)
    Mute.objects.create(muter=alice, muted=people[5])
    User.objects.filter(pk=people[4].pk).update(is_active=False)
    User.objects.filter(pk=people[3].pk).update(suspended_at=timezone.now())
    expected = _reference(alice, group)
    assert [a["handle"] for a in expected] == ["p7", "p2", "p1"]
    assert _listed(alice)[group.pk] == expected
    assert expected[0]["profile_image"] == {
        "uuid": str(pending.uuid),
        "status": "pending",
        "width": pending.width,
        "height": pending.height,
        "variants": [],
    }
    # Unblocked and unmuted, they are back at the front, with a ready image's variants.
    Block.objects.filter(blocker=alice).delete()
    Mute.objects.all().delete()
    expected = _reference(alice, group)
    assert [a["handle"] for a in expected] == ["p8", "p7", "p5"]
    assert _listed(alice)[group.pk] == expected
    assert len(expected[0]["profile_image"]["variants"]) == 2


def test_actors_at_one_instant_are_ordered_by_row(alice: User, make_user: Any) -> None:
    people = [make_user(handle=f"t{i}") for i in range(5)]
    group = _follow_group(alice, people)
    NotificationActor.objects.filter(notification=group).update(
        created_at=timezone.now() - timedelta(minutes=1)
    )
    expected = _reference(alice, group)
    assert [a["handle"] for a in expected] == ["t4", "t3", "t2"]
    assert _listed(alice)[group.pk] == expected


def test_each_recipient_sees_their_own_rules(alice: User, bob: User, make_user: Any) -> None:
    """The recipient is a parameter of the column: another recipient's blocks and mutes do not
    hide actors from this one."""
    people = [make_user(handle=f"q{i}") for i in range(3)]
    for_alice, for_bob = _follow_group(alice, people), _follow_group(bob, people)
    Mute.objects.create(muter=alice, muted=people[2])
    Block.objects.create(blocker=bob, blocked=people[1])
    assert [a["handle"] for a in _listed(alice)[for_alice.pk]] == ["q1", "q0"]
    assert [a["handle"] for a in _listed(bob)[for_bob.pk]] == ["q2", "q0"]


def test_no_actor_left_and_none_ever(alice: User, bob: User, make_post: Any) -> None:
    from tangerine.reports.models import ModerationWarning

    services.notify_warning(
        warning=ModerationWarning.objects.create(user=alice, reason="spam", message="Stop.")
    )
    services.notify_post_liked(user=bob, post=make_post(alice))
    listed: dict[str, Any] = {n.kind: n for n in selectors.notification_list(recipient=alice)}
    assert card_actors(listed["warning"].card_actors) == []  # a notice without actors
    assert [a.handle for a in card_actors(listed["post_like"].card_actors)] == ["bob"]
    assert notification_actors(Notification.objects.get(kind="post_like")) == [bob]  # a bare row


def test_the_compiled_page_reads_the_column(alice: User, make_user: Any, settings: Any) -> None:
    from rest_framework.test import APIClient

    people = [make_user(handle=f"c{i}") for i in range(4)]
    _follow_group(alice, people)
    Mute.objects.create(muter=alice, muted=people[3])
    client = APIClient()
    client.force_authenticate(alice)
    for _ in range(2):  # the second page read runs the remembered shape
        body = client.get("/api/notifications/").json()
        (group,) = body["results"]
        assert [a["handle"] for a in group["actors"]] == ["c2", "c1", "c0"]
        assert group["actor"]["handle"] == "c2" and group["actor_count"] == 3
