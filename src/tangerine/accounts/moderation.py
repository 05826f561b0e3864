"""Users as reportable targets (``core.moderation``): found by handle, never hidden (staff
suspend or warn them instead)."""

from __future__ import annotations

from typing import Any

from django.http import Http404

from tangerine.accounts.auth import Viewer
from tangerine.accounts.models import User
from tangerine.accounts.selectors import user_get_by_handle
from tangerine.core import moderation
from tangerine.images.evidence import image_evidence


def person_evidence(user: User | None) -> dict[str, Any] | None:
    """Who wrote something, as frozen into a report."""
    if user is None:
        return None
    return {"uuid": str(user.uuid), "handle": user.handle, "display_name": user.display_name}


def _find(viewer: Viewer, ref: str) -> User:
    try:
        return user_get_by_handle(handle=str(ref).lstrip("@"), viewer=viewer)
    except Http404 as exc:
        raise moderation.ContentNotFound from exc


def _get(pk: int) -> User | None:
    return User.objects.select_related("profile_image").filter(pk=pk).first()


def _snapshot(user: User) -> dict[str, Any]:
    return {
        **(person_evidence(user) or {}),
        "bio": user.bio,
        "link_1": user.link_1,
        "link_2": user.link_2,
        "profile_image": image_evidence(user.profile_image) if user.profile_image else None,
        "is_active": user.is_active,
        "suspended_at": moderation.iso(user.suspended_at),
        "created_at": moderation.iso(user.created_at),
    }


def register() -> None:
    moderation.register(
        moderation.ContentKind(
            name="user",
            find_for_viewer=_find,
            get=_get,
            author=lambda user: user,
            snapshot=_snapshot,
            ref=lambda user: user.handle,
        )
    )
