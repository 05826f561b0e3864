"""Realtime side effects are called explicitly, after the data is committed.

Events are typed dicts with a ``type`` key (the consumer's handler name with dots): each app
declares the events it produces next to the code that sends them (``chats.events``), and the
socket consumer annotates its handlers with the same types, so producer and consumer cannot
drift apart unnoticed. The two events every app may send to a user's sockets live here.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Mapping
from typing import Any, Literal, TypedDict

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

from tangerine.core import metrics
from tangerine.core.context import current_request_id

logger = logging.getLogger(__name__)

# How long one publish may take. The layer is a doorbell: when its broker is down a publish can
# wait for its own timeout (30 s in pulsar-client), and meanwhile an HTTP request or a socket
# would answer nothing. Whoever misses the bell catches up from the database.
PUBLISH_TIMEOUT_SECONDS = 2.0


class SessionRevokedEvent(TypedDict):
    """The user's tokens were revoked (logout everywhere, suspension, deletion): sockets close."""

    type: Literal["session.revoked"]


class NotificationEvent(TypedDict):
    """A stored notification, as the notifications list serialises it."""

    type: Literal["notification"]
    notification: dict[str, Any]


SESSION_REVOKED: SessionRevokedEvent = {"type": "session.revoked"}


async def group_send_bounded(group: str, event: Mapping[str, Any]) -> bool:
    """``group_send`` bounded by ``PUBLISH_TIMEOUT_SECONDS``; False (logged) when it failed."""
    layer = get_channel_layer()
    if layer is None:
        return False
    started = time.perf_counter()
    try:
        # The request (or frame) that caused the event travels with it: the consumers that
        # deliver it log under the same id.
        message = dict(event)
        if (caused_by := current_request_id()) != "-":
            message.setdefault("request_id", caused_by)
        await asyncio.wait_for(layer.group_send(group, message), PUBLISH_TIMEOUT_SECONDS)
    except Exception:  # the layer is a doorbell: the database already holds the data
        logger.warning("Could not publish %s to %s", event.get("type"), group, exc_info=True)
        metrics.group_send_failures.inc()
        return False
    metrics.group_send_seconds.observe(time.perf_counter() - started)
    return True


def publish(*, group: str, event: Mapping[str, Any]) -> None:
    """Send ``event`` (a typed dict with a ``type`` key) to a channel-layer group now, waiting
    at most ``PUBLISH_TIMEOUT_SECONDS``."""
    async_to_sync(group_send_bounded)(group, event)


def publish_on_commit(*, group: str, event: Mapping[str, Any]) -> None:
    """Publish once the current transaction commits (at once outside a transaction)."""
    transaction.on_commit(lambda: publish(group=group, event=event))


def user_group(user_uuid: object) -> str:
    """The channel-layer group of every socket one user has open."""
    return f"user.{user_uuid}"
