"""Notification cards are built by ``notification_card`` (notifications/serializers.py), not
by DRF's walk over the declared fields: here every kind of notification is rendered both ways,
as data, key order and rendered bytes, from the list selector and as bare rows."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from tangerine.accounts.models import Mute, User
from tangerine.accounts.services import user_delete
from tangerine.notifications import selectors, services
from tangerine.notifications.models import Notification
from tangerine.notifications.serializers import NotificationSerializer
from tests.factories import ImageFactory
from tests.support.cards import assert_card_is_the_fields

pytestmark = pytest.mark.django_db


def test_notification_cards_equal_the_declared_fields(
    alice: User, bob: User, carol: User, make_user: Any, make_post: Any, make_comment: Any
) -> None:
    bob.profile_image = ImageFactory.create(owner=bob)
    bob.save(update_fields=["profile_image"])
    dave, erin = make_user(handle="dave"), make_user(handle="erin")
    for actor in (bob, carol, dave, erin):  # a group of four follows
        services.notify_follow(follower=actor, followee=alice)
    post = make_post(alice, title="감귤")
    services.notify_post_liked(user=bob, post=post)
    services.notify_comment(comment=make_comment(post, carol, text="맛있어요 🍊"))
    gone = services.notify_post_liked(user=erin, post=make_post(alice))
    assert gone is not None
    Notification.objects.filter(pk=gone.pk).update(read_at=timezone.now())
    from tangerine.reports.models import ModerationWarning

    services.notify_warning(
        warning=ModerationWarning.objects.create(user=alice, reason="spam", message="Stop.")
    )
    Mute.objects.create(muter=alice, muted=dave)
    user_delete(user=erin)
    listed = list(selectors.notification_list(recipient=alice))
    kinds = {n.kind for n in listed}
    assert {"follow", "post_like", "comment", "warning"} <= kinds
    for notification in listed:
        assert_card_is_the_fields(NotificationSerializer, notification)
    for notification in Notification.objects.filter(recipient=alice):  # bare rows
        assert_card_is_the_fields(NotificationSerializer, notification)
    group = next(n for n in listed if n.kind == "follow")
    card = NotificationSerializer(group).data
    assert card["actor_count"] == 2 and card["others_count"] == 1  # dave muted, erin gone
    assert [a["handle"] for a in card["actors"]] == ["carol", "bob"]
    assert card["actors"][1]["profile_image"] is not None
