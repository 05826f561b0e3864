"""Follow writes. Counters on both users change in the same transaction as the row."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import F
from rest_framework.exceptions import ValidationError

from tangerine.accounts.models import Block, User
from tangerine.follows import hooks
from tangerine.follows.models import Follow


def follow_create(*, follower: User, followee: User) -> bool:
    """Follow ``followee``; True if a new follow was made (following twice changes nothing).

    Refused (400 on ``handle``) for oneself and when a block stands between the two users.
    """
    if follower.pk == followee.pk:
        raise ValidationError({"handle": ["You cannot follow yourself."]})
    # Either side's block forbids the follow; one message for both directions, so the answer
    # does not tell who blocked whom.
    if Block.objects.between(follower, followee).exists():
        raise ValidationError({"handle": ["You cannot follow this user."]})
    try:
        with transaction.atomic():
            Follow.objects.create(follower=follower, followee=followee)
            User.objects.filter(pk=follower.pk).update(following_count=F("following_count") + 1)
            User.objects.filter(pk=followee.pk).update(follower_count=F("follower_count") + 1)
            hooks.followed.send(hooks.Followed(follower=follower, followee=followee))
    except IntegrityError:
        return False
    return True


def follow_delete(*, follower: User, followee: User) -> bool:
    """Stop ``follower`` following ``followee``; True if a follow was removed."""
    with transaction.atomic():
        deleted, _ = Follow.objects.filter(follower=follower, followee=followee).delete()
        if deleted:
            User.objects.filter(pk=follower.pk).update(following_count=F("following_count") - 1)
            User.objects.filter(pk=followee.pk).update(follower_count=F("follower_count") - 1)
    return bool(deleted)


@transaction.atomic
def follows_delete_for_user(*, user: User) -> None:
    """Before an account goes: remove its follows and fix the other side's counters."""
    followee_ids = list(Follow.objects.filter(follower=user).values_list("followee_id", flat=True))
    follower_ids = list(Follow.objects.filter(followee=user).values_list("follower_id", flat=True))
    Follow.objects.filter(follower=user).delete()
    Follow.objects.filter(followee=user).delete()
    if followee_ids:
        User.objects.filter(pk__in=followee_ids).update(follower_count=F("follower_count") - 1)
    if follower_ids:
        User.objects.filter(pk__in=follower_ids).update(following_count=F("following_count") - 1)
