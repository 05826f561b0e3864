"""The registry of reportable content: each app that owns a kind registers it at start-up.

``reports`` files reports and runs the staff workflow; it never imports the apps whose content it
moderates. It asks this registry instead: find the target as the reporter sees it, who wrote it,
freeze its evidence, and hide or show it again. Hiding is done by the owning app's own service,
which also re-indexes and announces its content (search, chat sockets), so the rules about a kind
live with the kind.

An app registers its kinds in ``AppConfig.ready()`` from its ``moderation.py``.
"""

from __future__ import annotations

import uuid as uuid_lib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Model
from django.http import Http404
from django.utils import timezone


class ContentNotFound(Http404):
    """The target does not exist, or the reporter cannot see it (the same answer for both)."""


@dataclass(frozen=True)
class ContentKind:
    """How ``reports`` handles one kind of reportable thing (``name`` is its ``target_type``)."""

    name: str
    # The target as ``viewer`` sees it, by its public reference; raises ContentNotFound.
    find_for_viewer: Callable[[Any, str], Any]
    # The target by internal key, whatever its visibility (the staff view), or None.
    get: Callable[[int], Any | None]
    # The user responsible for it (the user itself when the target is a user).
    author: Callable[[Any], Any]
    # A JSON-ready copy of what the reporter saw, frozen into the report.
    snapshot: Callable[[Any], dict[str, Any]]
    # What the API calls ``target``: a handle for users, otherwise the uuid.
    ref: Callable[[Any], str]
    # Hide (True) or show again (False) by internal key; True if anything changed. The owning
    # app re-indexes and announces its content. None: this kind cannot be hidden (users).
    set_hidden: Callable[[int, bool], bool] | None = None

    @property
    def hideable(self) -> bool:
        return self.set_hidden is not None


_kinds: dict[str, ContentKind] = {}


def register(kind: ContentKind) -> None:
    _kinds[kind.name] = kind


def content_kind(name: str) -> ContentKind | None:
    """The registered kind called ``name``, or None when no installed app provides it."""
    return _kinds.get(name)


def registered() -> list[str]:
    return sorted(_kinds)


# --- small helpers the owning apps share when they write a kind -------------------------------


def parse_uuid(ref: str) -> uuid_lib.UUID:
    """``ref`` as a UUID, or ContentNotFound (a malformed reference names nothing)."""
    try:
        return uuid_lib.UUID(str(ref))
    except ValueError as exc:
        raise ContentNotFound from exc


def iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def finder(visible: Callable[[Any], Any], related: tuple[str, ...]) -> Callable[[Any, str], Any]:
    """A ``find_for_viewer`` over ``visible(viewer)`` (a queryset) by uuid."""

    def find(viewer: Any, ref: str) -> Any:
        found = visible(viewer).select_related(*related).filter(uuid=parse_uuid(ref)).first()
        if found is None:
            raise ContentNotFound
        return found

    return find


def getter(model: type[Model], related: tuple[str, ...]) -> Callable[[int], Any | None]:
    """A ``get`` by primary key whatever the visibility."""

    def get(pk: int) -> Any | None:
        return model._default_manager.select_related(*related).filter(pk=pk).first()

    return get


def set_hidden_at(model: type[Model], pk: int, hidden: bool) -> bool:
    """Set or clear ``hidden_at`` of one row; True if it changed (a ``set_hidden`` helper)."""
    qs = model._default_manager.filter(pk=pk, hidden_at__isnull=hidden)
    return bool(qs.update(hidden_at=timezone.now() if hidden else None))
