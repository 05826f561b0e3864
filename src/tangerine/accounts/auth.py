"""Who is asking: the request's user, typed as our ``User`` instead of ``User | AnonymousUser``.

Views pass these to services (which need a ``User``) and selectors (which take ``User | None``
for "anonymous"), so the type checker sees the same distinction the permission classes make.
"""

from __future__ import annotations

from typing import TypeAlias

from rest_framework.exceptions import NotAuthenticated
from rest_framework.request import Request

from tangerine.accounts.models import User

# Who reads: a signed-in user, or None for a visitor. Selectors take ``viewer: Viewer``.
Viewer: TypeAlias = User | None


def request_viewer(request: Request) -> User | None:
    """The signed-in user, or ``None`` for an anonymous request."""
    user = request.user
    return user if isinstance(user, User) else None


def request_user(request: Request) -> User:
    """The signed-in user; an anonymous request is refused with 401 (DRF's NotAuthenticated).

    Views guarded by ``IsAuthenticated`` never reach the refusal: it is there so a view whose
    permissions are loosened by mistake fails closed instead of handing ``AnonymousUser`` on.
    """
    user = request_viewer(request)
    if user is None:
        raise NotAuthenticated
    return user
