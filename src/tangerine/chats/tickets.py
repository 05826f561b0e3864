"""One-time WebSocket tickets: a short-lived secret traded for a JWT over authenticated HTTP.

Browsers cannot set headers on a WebSocket handshake, and a long-lived token in a URL ends up
in logs. A ticket lives ``CHAT_WS_TICKET_SECONDS`` in the shared cache and is consumed with
``cache.delete``, whose boolean result is atomic in Redis and in the local-memory cache: two
sockets racing with one ticket cannot both win. Only a hash of the ticket is stored.
"""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.core.cache import cache

from tangerine.accounts.models import User

TICKET_MAX_LENGTH = 128


def _cache_key(ticket: str) -> str:
    return "chat:ws-ticket:" + hashlib.sha256(ticket.encode()).hexdigest()


def ws_ticket_issue(*, user: User) -> tuple[str, int]:
    """A new ticket for ``user`` and its lifetime in seconds."""
    ticket = secrets.token_urlsafe(32)
    ttl = settings.CHAT_WS_TICKET_SECONDS
    cache.set(_cache_key(ticket), {"user": user.pk, "version": user.token_version}, timeout=ttl)
    return ticket, ttl


def ws_ticket_consume(*, ticket: str | None) -> User | None:
    """The user the ticket was issued to, once; None if missing, unknown, expired or used.

    The user must still be active and unsuspended, and no "log out everywhere" may have
    happened since the ticket was issued.
    """
    if not ticket or len(ticket) > TICKET_MAX_LENGTH:
        return None
    key = _cache_key(ticket)
    value = cache.get(key)
    if not isinstance(value, dict) or not cache.delete(key):
        return None
    user_pk = value.get("user")
    if not isinstance(user_pk, int):
        return None
    user = User.objects.filter(pk=user_pk, is_active=True, suspended_at__isnull=True).first()
    if user is None or user.token_version != value.get("version"):
        return None
    return user
