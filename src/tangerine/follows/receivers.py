"""What follows does when accounts change (connected in ``FollowsConfig.ready``)."""

from __future__ import annotations

from django.db.models import Exists, OuterRef

from tangerine.accounts import hooks as accounts
from tangerine.accounts.models import User
from tangerine.follows import services
from tangerine.follows.models import Follow


def _end_follows_on_block(event: accounts.UserBlocked) -> None:
    services.follow_delete(follower=event.blocker, followee=event.blocked)
    services.follow_delete(follower=event.blocked, followee=event.blocker)


def _delete_follows_of_user(event: accounts.UserDeleting) -> None:
    services.follows_delete_for_user(user=event.user)


def _is_following(viewer: User) -> Exists:
    return Exists(Follow.objects.filter(follower=viewer, followee=OuterRef("pk")))


def connect() -> None:
    accounts.user_blocked.connect(_end_follows_on_block)
    accounts.user_deleting.connect(_delete_follows_of_user)
    accounts.viewer_relation_register("is_following", _is_following)
