from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from rest_framework.test import APIClient

from tangerine.accounts.models import User
from tests.support.images import grant_for, upload


@pytest.fixture(autouse=True)
def _private_uploads(settings: Any, tmp_path: Path) -> None:
    """Originals of each test in their own private folder (outside MEDIA_ROOT); local storage."""
    settings.IMAGE_PRIVATE_ROOT = str(tmp_path / "private")
    settings.IMAGE_STORAGE = "local"


@pytest.fixture
def uploaded(as_user: Callable[[User], APIClient]) -> Callable[..., dict[str, Any]]:
    """``uploaded(user, data, content_type)``: grant, upload and complete; returns GET's body."""

    def run(user: User, data: bytes, content_type: str = "image/jpeg") -> dict[str, Any]:
        client = as_user(user)
        grant = grant_for(client, data, content_type)
        stored = upload(grant, data)
        assert stored.status_code == 204, stored.content
        completed = client.post(f"/api/images/{grant['uuid']}/complete/")
        assert completed.status_code == 202, completed.json()
        return dict(client.get(f"/api/images/{grant['uuid']}/").json())

    return run
