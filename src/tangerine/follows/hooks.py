"""What follows announce to the apps above them (see ``core.hooks``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Exists

from tangerine.accounts.models import User
from tangerine.core.hooks import Hook


@dataclass(frozen=True)
class Followed:
    """``follower`` newly follows ``followee`` (following twice is not announced)."""

    follower: User
    followee: User


followed: Hook[Followed] = Hook("follows.followed")


# Another reason to suggest someone, added by an app above: ``reason`` -> a boolean expression
# over ``OuterRef("pk")`` (the candidate) for the viewer. Suggestions rank people followed by
# whom the viewer follows first, then anyone a signal names, then popular accounts. Products
# adds ``sells_what_you_looked_at`` (sellers in categories the viewer looked at).
SuggestionSignal = Callable[[User], Exists]
suggestion_signals: dict[str, SuggestionSignal] = {}


def suggestion_signal_register(reason: str, signal: SuggestionSignal) -> None:
    suggestion_signals[reason] = signal
