"""What accounts announce to the apps above them (see ``core.hooks``).

Receivers connect in their app's ``receivers.py``; nothing here imports another app.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Exists

from tangerine.accounts.models import User
from tangerine.core.hooks import Hook


@dataclass(frozen=True)
class UserDeleting:
    """``user`` is about to be deleted, inside the deleting transaction: remove what they own
    and fix the counters their rows moved on other people's things."""

    user: User


@dataclass(frozen=True)
class UserDeleted:
    """The account ``user_id`` is gone (its rows cascaded)."""

    user_id: int


@dataclass(frozen=True)
class UserBlocked:
    """``blocker`` blocked ``blocked`` (sent on every block call; receivers are idempotent)."""

    blocker: User
    blocked: User


@dataclass(frozen=True)
class UserUnblocked:
    """``blocker`` lifted their block of ``blocked``."""

    blocker: User
    blocked: User


@dataclass(frozen=True)
class UserStandingChanged:
    """``user_id`` was suspended or reinstated: their content appears or disappears."""

    user_id: int


user_deleting: Hook[UserDeleting] = Hook("accounts.user_deleting")
user_deleted: Hook[UserDeleted] = Hook("accounts.user_deleted")
user_blocked: Hook[UserBlocked] = Hook("accounts.user_blocked")
user_unblocked: Hook[UserUnblocked] = Hook("accounts.user_unblocked")
user_standing_changed: Hook[UserStandingChanged] = Hook("accounts.user_standing_changed")


# A relation flag another app adds to every profile a signed-in viewer reads, e.g. follows adds
# ``is_following``: name -> a boolean expression over ``OuterRef("pk")`` for ``viewer``.
ViewerRelation = Callable[[User], Exists]
viewer_relations: dict[str, ViewerRelation] = {}


def viewer_relation_register(name: str, relation: ViewerRelation) -> None:
    viewer_relations[name] = relation
