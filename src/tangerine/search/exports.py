""" "Download my data": my events (views of posts and products, with how long I looked)."""

from __future__ import annotations

from typing import Any

from tangerine.core import exports


def _uuids(model: Any, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    return {
        pk: str(uuid) for pk, uuid in model.objects.filter(pk__in=ids).values_list("pk", "uuid")
    }


def export_events(user: Any) -> list[dict[str, Any]]:
    from tangerine.posts.models import Post
    from tangerine.products.models import Product
    from tangerine.search.models import Event, Kind

    rows = list(
        Event.objects.filter(user=user)
        .order_by("created_at", "id")
        .values_list("kind", "object_id", "dwell_ms", "created_at")
    )
    # Public ids, not internal keys; an item deleted since is exported with ``null``.
    targets: dict[str, dict[int, str]] = {
        Kind.POST: _uuids(Post, {oid for kind, oid, _, _ in rows if kind == Kind.POST}),
        Kind.PRODUCT: _uuids(Product, {oid for kind, oid, _, _ in rows if kind == Kind.PRODUCT}),
    }
    return [
        {
            "kind": kind,
            "target": targets.get(kind, {}).get(object_id),
            "dwell_ms": dwell_ms,
            "created_at": created_at.isoformat(),
        }
        for kind, object_id, dwell_ms, created_at in rows
    ]


def register() -> None:
    exports.register(name="events", exporter=export_events)
