"""Reads for accounts: profiles with the viewer's relation to them, user search."""

from __future__ import annotations

from django.db.models import Case, Exists, IntegerField, OuterRef, Q, QuerySet, Value, When
from django.http import Http404

from tangerine.accounts.hooks import viewer_relations
from tangerine.accounts.models import Block, Mute, User


def user_qs_for_viewer(*, viewer: User | None) -> QuerySet[User]:
    """Active, unsuspended users with ``is_blocked`` / ``is_muted`` for ``viewer``, plus the
    flags other apps register (``is_following`` from follows, see ``hooks.viewer_relations``).

    One query: the relation flags are EXISTS subqueries and the profile image is joined.
    """
    qs = User.objects.filter(is_active=True, suspended_at__isnull=True).select_related(
        "profile_image"
    )
    if viewer is not None and viewer.is_authenticated:
        qs = qs.annotate(
            **{name: relation(viewer) for name, relation in viewer_relations.items()},
            is_blocked=Exists(Block.objects.filter(blocker=viewer, blocked=OuterRef("pk"))),
            is_muted=Exists(Mute.objects.filter(muter=viewer, muted=OuterRef("pk"))),
        )
    else:
        qs = qs.annotate(
            **dict.fromkeys(viewer_relations, Value(False)),
            is_blocked=Value(False),
            is_muted=Value(False),
        )
    return qs


def user_get_by_handle(*, handle: str, viewer: User | None = None) -> User:
    """The visible user with this handle (any case), or 404."""
    user = user_qs_for_viewer(viewer=viewer).filter(handle__iexact=handle).first()
    if user is None:
        raise Http404
    return user


def user_list(*, viewer: User, search: str = "") -> QuerySet[User]:
    """Users matching ``search`` by handle or display name; handle prefix matches first."""
    qs = user_qs_for_viewer(viewer=viewer)
    search = search.strip()
    if search:
        qs = qs.filter(handle__icontains=search) | qs.filter(display_name__icontains=search)
        qs = qs.annotate(
            rank=Case(
                When(handle__iexact=search, then=Value(0)),
                When(handle__istartswith=search, then=Value(1)),
                When(display_name__istartswith=search, then=Value(2)),
                default=Value(3),
                output_field=IntegerField(),
            )
        ).order_by("rank", "handle")
    else:
        qs = qs.order_by("-created_at", "-id")
    return qs


# People search for pickers (chat invites, mentions): short answers, never a page.
USER_SEARCH_MAX_RESULTS = 20
USER_SEARCH_MAX_LENGTH = 50


def user_search(*, viewer: User, q: str, limit: int = USER_SEARCH_MAX_RESULTS) -> list[User]:
    """At most ``limit`` active, unsuspended users whose handle or display name contains ``q``
    (any case; Korean matches as typed), best first: exact handle, handle prefix, display name
    prefix, then the rest by handle. Never the viewer's blocks in either direction; the viewer
    is included (a picker may want to skip them, a search should not hide them).

    The caller checked ``q`` (stripped, 1..USER_SEARCH_MAX_LENGTH characters). One query: the
    block check and the relation flags are EXISTS subqueries, the profile image is joined.
    """
    qs = (
        user_qs_for_viewer(viewer=viewer)
        .filter(Q(handle__icontains=q) | Q(display_name__icontains=q))
        .filter(~Exists(Block.objects.between(viewer, OuterRef("pk"))))
        .annotate(
            rank=Case(
                When(handle__iexact=q, then=Value(0)),
                When(handle__istartswith=q, then=Value(1)),
                When(display_name__istartswith=q, then=Value(2)),
                default=Value(3),
                output_field=IntegerField(),
            )
        )
        .order_by("rank", "handle", "id")
    )
    return list(qs[:limit])


def user_ids_blocked_between(*, viewer: User | None) -> QuerySet[Block]:
    """Blocks in either direction involving ``viewer`` (for filtering content)."""
    if viewer is None or not viewer.is_authenticated:
        return Block.objects.none()
    return Block.objects.involving(viewer)


def user_uuids_blocked_by(*, user: User) -> set[str]:
    """Uuids of the users ``user`` blocked (one query), as strings."""
    return {
        str(u) for u in Block.objects.filter(blocker=user).values_list("blocked__uuid", flat=True)
    }
