"""Shared fixtures: personas, API clients, service availability.

Personas make permission tests read like sentences: ``alice`` owns things, ``bob`` follows her,
``carol`` is a stranger, ``mod`` is a staff member.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.db import connection
from pytest_django import Settings
from rest_framework.test import APIClient

from tangerine.accounts.models import User
from tangerine.posts.models import Comment, Post, Reply
from tangerine.products.models import Product
from tests import factories
from tests.factories import ProductFactory, UserFactory
from tests.support import network
from tests.support.api import client_for


def _port_open(url: str, default_port: int) -> bool:
    parts = urlsplit(url)
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex((parts.hostname or "127.0.0.1", parts.port or default_port)) == 0


def pytest_configure(config: pytest.Config) -> None:
    """Block the network beyond loopback and the project's services (tests/support/network.py)."""
    network.install()


def pytest_unconfigure(config: pytest.Config) -> None:
    network.uninstall()


REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
REDIS_AVAILABLE = _port_open(REDIS_URL, 6379)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Skip, loudly, tests whose service is missing (the summary lists each reason)."""
    on_postgres = connection.vendor == "postgresql"
    for item in items:
        if "postgres" in item.keywords and not on_postgres:
            item.add_marker(pytest.mark.skip(reason="SKIPPED FOR WANT OF PostgreSQL"))
        if "redis" in item.keywords and not REDIS_AVAILABLE:
            item.add_marker(pytest.mark.skip(reason="SKIPPED FOR WANT OF Redis"))


@pytest.fixture(autouse=True)
def _isolated_media(settings: Settings, tmp_path: Path) -> None:
    """Each test writes uploads into its own folder."""
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture(autouse=True)
def _clear_cache() -> None:
    """Rate-limit counters and remembered tokens must not leak between tests."""
    from django.core.cache import cache

    from tangerine.accounts.authentication import VERIFIED_TOKENS

    cache.clear()
    VERIFIED_TOKENS.clear()  # and tokens checked by an earlier test


@pytest.fixture
def make_user(db: None) -> Callable[..., User]:
    def make(**kwargs: object) -> User:
        return UserFactory.create(**kwargs)

    return make


@pytest.fixture
def make_post(db: None) -> Callable[..., Post]:
    """``make_post(alice, title=...)``: the shared post factory, as a fixture."""
    return factories.make_post


@pytest.fixture
def make_comment(db: None) -> Callable[..., Comment]:
    return factories.make_comment


@pytest.fixture
def make_reply(db: None) -> Callable[..., Reply]:
    return factories.make_reply


@pytest.fixture
def make_product(db: None) -> Callable[..., Product]:
    return ProductFactory.create


@pytest.fixture
def alice(make_user: Callable[..., User]) -> User:
    return make_user(email="alice@example.com", handle="alice", display_name="Alice 앨리스")


@pytest.fixture
def bob(make_user: Callable[..., User]) -> User:
    return make_user(email="bob@example.com", handle="bob", display_name="Bob 밥")


@pytest.fixture
def carol(make_user: Callable[..., User]) -> User:
    return make_user(email="carol@example.com", handle="carol", display_name="Carol 캐럴")


@pytest.fixture
def mod(make_user: Callable[..., User]) -> User:
    return make_user(email="mod@example.com", handle="moderator1", is_staff=True)


@pytest.fixture
def anon() -> APIClient:
    return APIClient()


@pytest.fixture
def as_user() -> Callable[[User], APIClient]:
    """``as_user(alice).get(...)``: an API client authenticated as that user."""
    return client_for
