from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from tangerine.accounts.models import User

GRANT = "/api/images/presigned/"


@pytest.fixture(autouse=True)
def _private_uploads(settings: Any, tmp_path: Path) -> None:
    """Originals of each test in their own private folder (outside MEDIA_ROOT); local storage."""
    settings.IMAGE_PRIVATE_ROOT = str(tmp_path / "private")
    settings.IMAGE_STORAGE = "local"


def grant_for(client: APIClient, data: bytes, content_type: str = "image/jpeg") -> dict[str, Any]:
    response = client.post(
        GRANT,
        {"filename": "photo.jpg", "content_type": content_type, "size": max(len(data), 1)},
        format="json",
    )
    assert response.status_code == 201, response.json()
    return dict(response.json())


def upload(
    grant: dict[str, Any],
    data: bytes,
    *,
    fields: dict[str, str] | None = None,
    filename: str = "photo.jpg",
) -> Any:
    """POST the file the way a browser does with the grant's form fields (anonymously)."""
    form: dict[str, Any] = dict(grant["fields"])
    form.update(fields or {})
    form["file"] = SimpleUploadedFile(filename, data, content_type=form.get("Content-Type", ""))
    return APIClient().post(grant["url"], form, format="multipart")


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
