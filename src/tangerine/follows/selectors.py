"""Reads for follows: whom a user follows and who follows them, with the viewer's flags."""

from __future__ import annotations

from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from tangerine.accounts.auth import Viewer
from tangerine.accounts.models import Block, Mute, User
from tangerine.accounts.selectors import user_qs_for_viewer
from tangerine.follows import hooks
from tangerine.follows.models import Follow


def _authenticated(viewer: Viewer) -> bool:
    return viewer is not None and viewer.is_authenticated


def _people(qs: QuerySet[Follow], *, viewer: Viewer, side: str) -> QuerySet[Follow]:
    """Follow rows whose user at ``side`` is visible, with that user's flags for the viewer."""
    qs = qs.filter(**{f"{side}__is_active": True, f"{side}__suspended_at__isnull": True})
    if _authenticated(viewer):
        qs = qs.filter(~Exists(Block.objects.between(viewer, OuterRef(side)))).annotate(
            person_is_following=Exists(
                Follow.objects.filter(follower=viewer, followee=OuterRef(side))
            )
        )
    else:
        qs = qs.annotate(person_is_following=Value(False, output_field=BooleanField()))
    return qs.select_related(f"{side}__profile_image").order_by("-created_at", "-id")


def following_of(*, viewer: Viewer, user: User) -> QuerySet[Follow]:
    """Follow rows of the users ``user`` follows, newest follow first.

    Queries for a page: 1 (follows joined with the followed users and their profile images;
    blocks and the viewer's own follow are EXISTS subqueries).
    """
    return _people(Follow.objects.filter(follower=user), viewer=viewer, side="followee")


def followers_of(*, viewer: Viewer, user: User) -> QuerySet[Follow]:
    """Follow rows of the users who follow ``user``, newest follow first.

    Queries for a page: 1 (as ``following_of``).
    """
    return _people(Follow.objects.filter(followee=user), viewer=viewer, side="follower")


def user_get_any(*, handle: str) -> User:
    """Any existing user by handle (for removing a relation to a suspended account)."""
    from django.http import Http404

    user = User.objects.filter(handle__iexact=handle).first()
    if user is None:
        raise Http404
    return user


SUGGESTIONS_MAX = 20
FRIENDS_OF_FRIENDS = "followed_by_people_you_follow"
POPULAR = "popular"


def user_suggestions(*, viewer: User, limit: int = SUGGESTIONS_MAX) -> list[User]:
    """People ``viewer`` might follow, best first, at most ``limit``:

    1. people followed by the people the viewer follows, the more of them the better
       (``mutual_count``, ``reason = "followed_by_people_you_follow"``);
    2. then people a registered signal names (``hooks.suggestion_signals``; products adds
       sellers in categories the viewer looked at: ``reason = "sells_what_you_looked_at"``);
    3. then popular accounts, by follower count (``reason = "popular"``).

    Never the viewer, people they already follow, people on either side of a block, people
    they muted, suspended or deactivated accounts.

    One query: followees, blocks and mutes are subqueries, ``mutual_count`` a correlated count.
    """
    followees = Follow.objects.filter(follower=viewer).values("followee_id")
    mutual = (
        Follow.objects.filter(followee=OuterRef("pk"), follower_id__in=followees)
        .values("followee")
        .annotate(n=Count("pk"))
        .values("n")
    )
    qs = (
        user_qs_for_viewer(viewer=viewer)
        .exclude(pk=viewer.pk)
        .exclude(pk__in=followees)
        .filter(~Exists(Block.objects.between(viewer, OuterRef("pk"))))
        .filter(~Exists(Mute.objects.filter(muter=viewer, muted=OuterRef("pk"))))
        .annotate(mutual_count=Coalesce(Subquery(mutual, output_field=IntegerField()), 0))
    )
    signals = {f"signal_{i}": (reason, make(viewer)) for i, (reason, make) in enumerate(
        sorted(hooks.suggestion_signals.items())
    )}  # fmt: skip
    if signals:
        qs = qs.annotate(**{name: expression for name, (_, expression) in signals.items()})
    whens = [When(Q(mutual_count__gt=0), then=Value(FRIENDS_OF_FRIENDS))]
    whens += [When(Q(**{name: True}), then=Value(reason)) for name, (reason, _) in signals.items()]
    signalled = Case(
        *[When(Q(**{name: True}), then=Value(1)) for name in signals],
        default=Value(0),
        output_field=IntegerField(),
    )
    qs = qs.annotate(
        reason=Case(*whens, default=Value(POPULAR), output_field=CharField()),
        signalled=signalled,
    ).order_by("-mutual_count", "-signalled", "-follower_count", "-created_at", "-id")
    return list(qs[:limit])
