"""Realtime side effects are called explicitly, after the data is committed."""

from __future__ import annotations

import logging
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

logger = logging.getLogger(__name__)


def publish(*, group: str, event: dict[str, Any]) -> None:
    """Send ``event`` (a dict with a ``type`` key) to a channel-layer group now."""
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        async_to_sync(layer.group_send)(group, event)
    except Exception:  # the layer is a doorbell: the database already holds the data
        logger.exception("Could not publish %s to %s", event.get("type"), group)


def publish_on_commit(*, group: str, event: dict[str, Any]) -> None:
    """Publish once the current transaction commits (at once outside a transaction)."""
    transaction.on_commit(lambda: publish(group=group, event=event))


def user_group(user_uuid: object) -> str:
    """The channel-layer group of every socket one user has open."""
    return f"user.{user_uuid}"
