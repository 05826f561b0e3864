"""What follows announce to the apps above them (see ``core.hooks``)."""

from __future__ import annotations

from dataclasses import dataclass

from tangerine.accounts.models import User
from tangerine.core.hooks import Hook


@dataclass(frozen=True)
class Followed:
    """``follower`` newly follows ``followee`` (following twice is not announced)."""

    follower: User
    followee: User


followed: Hook[Followed] = Hook("follows.followed")
