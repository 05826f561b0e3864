""" "Download my data": the notifications I received."""

from __future__ import annotations

from typing import Any

from tangerine.core import exports


def export_notifications(user: Any) -> list[dict[str, Any]]:
    from tangerine.notifications.models import Notification

    rows = (
        Notification.objects.filter(recipient=user)
        .select_related("actor")
        .order_by("created_at", "id")
    )
    return [
        {
            "uuid": str(row.uuid),
            "kind": row.kind,
            "actor": row.actor.handle if row.actor is not None else None,
            "target_type": row.target_type,
            "target": str(row.target_uuid),
            "preview": row.preview,
            "read_at": row.read_at.isoformat() if row.read_at else None,
            "created_at": row.created_at.isoformat(),
        }
        for row in rows
    ]


def register() -> None:
    exports.register(name="notifications", exporter=export_notifications)
