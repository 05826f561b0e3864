"""The demo seed rings what the social demo data would have rung."""

from __future__ import annotations

import random

import pytest

from tangerine.follows.services import follow_create
from tangerine.notifications import demo
from tangerine.notifications.models import Notification
from tangerine.posts.models import PostLike

pytestmark = pytest.mark.django_db


def test_seed_makes_follow_and_like_notifications_once(alice, bob, carol, make_post):
    follow_create(follower=bob, followee=alice)
    follow_create(follower=carol, followee=alice)
    post = make_post(alice)
    PostLike.objects.create(user=bob, post=post)
    demo.seed(users=[alice, bob, carol], rng=random.Random(4))
    kinds = sorted(Notification.objects.filter(recipient=alice).values_list("kind", flat=True))
    assert kinds == ["follow", "post_like"]  # bob and carol's follows are one group
    follows = Notification.objects.get(recipient=alice, kind="follow")
    assert follows.actor_rows.count() == 2
    # Seeding again adds no duplicate likes or follows (deduplicated within the hour).
    demo.seed(users=[alice, bob, carol], rng=random.Random(4))
    assert Notification.objects.filter(recipient=alice).count() == 2
    assert follows.actor_rows.count() == 2
