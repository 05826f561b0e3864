"""Who is looking: one key per viewer, shared by view counting in posts and search events.

A post detail GET and a dwell event from the same viewer must count one view per window, not
one each, so both go through these two functions.
"""

from __future__ import annotations

import hashlib
from typing import Any

from tangerine.core import ratelimit

# A viewer's repeated views of one item within this window count once.
VIEW_WINDOW_SECONDS = 3600


def viewer_key(request: Any) -> str:
    """``u:<user uuid>`` for members, ``a:<hash of the client address>`` for visitors."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"u:{user.uuid}"
    address = ratelimit.client_address(request)
    return "a:" + hashlib.sha256(address.encode()).hexdigest()[:32]


def view_dedup_key(*, kind: str, object_id: int, viewer: str) -> str:
    """The cache key that makes a viewer's view of one item count once per window."""
    return f"view:{kind}:{object_id}:{viewer}"
