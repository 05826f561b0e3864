"""The image upload flow as a browser runs it: ask for a grant, then POST the file with it."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

GRANT = "/api/images/presigned/"


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
