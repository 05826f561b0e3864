"""Calling our API as a user in tests."""

from __future__ import annotations

from typing import Any

from asgiref.sync import sync_to_async
from rest_framework.test import APIClient

from tangerine.accounts.models import User
from tangerine.accounts.tokens import tokens_for_user
from tests.factories import DEFAULT_PASSWORD

PASSWORD = DEFAULT_PASSWORD
REPORTS = "/api/reports/"


def client_for(user: User) -> APIClient:
    """An API client that sends ``user``'s access token (the ``as_user`` fixture returns this)."""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {tokens_for_user(user=user)['access']}")
    return client


def bearer(user: User) -> str:
    """The ``Authorization`` header value for ``user`` (for clients other than APIClient)."""
    return f"Bearer {tokens_for_user(user=user)['access']}"


async def call_api(user: User, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
    """From async code (socket tests): ``method`` on ``path`` as ``user``, JSON body."""

    def call() -> Any:
        return getattr(client_for(user), method)(path, body or {}, format="json")

    return await sync_to_async(call)()
