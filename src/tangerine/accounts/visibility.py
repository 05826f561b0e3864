"""Visibility rules shared by every kind of user content.

Content is visible to a viewer when it is not hidden by moderation, its author is active and not
suspended, and no block stands between the author and the viewer. Staff see hidden content (they
must, to moderate it). Each content model's QuerySet chains ``visible_to(viewer)`` from here.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.db.models import Exists, OuterRef, QuerySet

from tangerine.accounts.auth import Viewer
from tangerine.accounts.models import Block, User
from tangerine.core.cardsql import column, table

_QS = TypeVar("_QS", bound=QuerySet[Any])


def filter_visible(qs: _QS, *, viewer: Viewer, author_field: str) -> _QS:
    """Apply the shared rules to ``qs`` whose author is reached through ``author_field``."""
    is_staff = bool(viewer is not None and viewer.is_authenticated and viewer.is_staff)
    if not is_staff:
        qs = qs.filter(
            hidden_at__isnull=True,
            **{f"{author_field}__is_active": True, f"{author_field}__suspended_at__isnull": True},
        )
    if viewer is not None and viewer.is_authenticated:
        qs = qs.filter(~Exists(Block.objects.between(viewer, OuterRef(author_field))))
    return qs


# The same rules in raw SQL, for the JSON card columns (``core.cardsql``) of people shown on a
# card: mentions (``posts.cards``) and notification actors (``notifications.cards``).


def active_user_sql(vendor: str, alias: str) -> str:
    """The user row ``alias`` is active and not suspended."""
    true = "true" if vendor == "postgresql" else "1"
    return (
        f"{column(alias, User, 'is_active')} = {true}"
        f" AND {column(alias, User, 'suspended_at')} IS NULL"
    )


def no_block_sql(them: str) -> str:
    """No block either way between the viewer and the user whose id is the column ``them``;
    the viewer's primary key is its parameter, twice (``Block.objects.between``)."""
    blocker, blocked = column("b", Block, "blocker"), column("b", Block, "blocked")
    return (
        f"NOT EXISTS (SELECT 1 FROM {table(Block, 'b')} WHERE ({blocker} = %s AND "  # noqa: S608 (identifiers only)
        f"{blocked} = {them}) OR ({blocker} = {them} AND {blocked} = %s))"
    )
