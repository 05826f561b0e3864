"""Reads for follows: whom a user follows and who follows them, with the viewer's flags."""

from __future__ import annotations

from django.db.models import BooleanField, Exists, OuterRef, QuerySet, Value

from tangerine.accounts.auth import Viewer
from tangerine.accounts.models import Block, User
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
