"""Upload grants and our own upload endpoint (local storage), which enforces the same policy."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from tangerine.accounts.models import User
from tangerine.images.models import Image
from tests.images import imagegen
from tests.support.images import GRANT, grant_for, upload

pytestmark = pytest.mark.django_db


def test_grant_has_a_server_chosen_key_exact_type_size_range_and_short_expiry(
    as_user: Callable[[User], APIClient], alice: User, settings: Any
) -> None:
    response = as_user(alice).post(
        GRANT,
        {"filename": "../../etc/passwd 내 사진.png", "content_type": "image/png", "size": 5000},
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert set(body) == {"uuid", "url", "fields", "expires_at"}
    assert body["url"] == "/api/images/upload/"
    key = f"uploads/{alice.uuid}/{body['uuid']}"
    assert body["fields"]["key"] == key
    assert "passwd" not in json.dumps(body) and "사진" not in json.dumps(body)
    assert body["fields"]["Content-Type"] == "image/png"
    policy = json.loads(base64.b64decode(body["fields"]["policy"]))
    assert {"key": key} in policy["conditions"]
    assert {"Content-Type": "image/png"} in policy["conditions"]
    assert ["content-length-range", 1, settings.IMAGE_MAX_UPLOAD_BYTES] in policy["conditions"]
    expires = datetime.fromisoformat(body["expires_at"])
    assert timedelta(minutes=4) < expires - timezone.now() <= timedelta(minutes=5)
    image = Image.objects.get(uuid=body["uuid"])
    assert (image.owner, image.status, image.key) == (alice, Image.Status.PENDING, key)


def test_posts_presigned_is_the_same_grant(
    as_user: Callable[[User], APIClient], alice: User
) -> None:
    response = as_user(alice).post(
        "/api/posts/presigned/",
        {"filename": "a.webp", "content_type": "image/webp", "size": 10},
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["fields"]["key"].startswith(f"uploads/{alice.uuid}/")


def test_anonymous_gets_no_grant(anon: APIClient) -> None:
    body = {"filename": "a.jpg", "content_type": "image/jpeg", "size": 10}
    assert anon.post(GRANT, body, format="json").status_code == 401
    assert anon.post("/api/posts/presigned/", body, format="json").status_code == 401


@pytest.mark.parametrize(
    ("field", "overrides"),
    [
        ("content_type", {"content_type": "image/svg+xml"}),
        ("content_type", {"content_type": "image/heic"}),
        ("content_type", {"content_type": "text/html"}),
        ("size", {"size": 0}),
        ("size", {"size": 10 * 1024 * 1024 + 1}),
        ("filename", {"filename": "x" * 256}),
        ("filename", {"filename": ""}),
    ],
)
def test_grant_refuses_bad_requests(
    as_user: Callable[[User], APIClient], alice: User, field: str, overrides: dict[str, Any]
) -> None:
    body = {"filename": "a.jpg", "content_type": "image/jpeg", "size": 100, **overrides}
    response = as_user(alice).post(GRANT, body, format="json")
    assert response.status_code == 400
    assert field in response.json()["fields"]
    assert not Image.objects.exists()


def test_grants_are_rate_limited_per_user(
    as_user: Callable[[User], APIClient], alice: User, bob: User, settings: Any
) -> None:
    settings.AUTH_RATE_LIMITS = {**settings.AUTH_RATE_LIMITS, "image_upload": "2/60"}
    body = {"filename": "a.jpg", "content_type": "image/jpeg", "size": 100}
    client = as_user(alice)
    assert [client.post(GRANT, body, format="json").status_code for _ in range(3)] == [
        201,
        201,
        429,
    ]
    assert as_user(bob).post(GRANT, body, format="json").status_code == 201


def test_local_upload_stores_the_original_privately(
    as_user: Callable[[User], APIClient], alice: User, settings: Any
) -> None:
    data = imagegen.jpeg(320, 240)
    grant = grant_for(as_user(alice), data)
    response = upload(grant, data)
    assert response.status_code == 204
    stored = Path(settings.IMAGE_PRIVATE_ROOT, grant["fields"]["key"])
    assert stored.read_bytes() == data
    media = Path(settings.MEDIA_ROOT)
    assert not media.exists() or not any(p.is_file() for p in media.rglob("*"))


def _tampered_policy(grant: dict[str, Any], **changes: Any) -> str:
    policy = json.loads(base64.b64decode(grant["fields"]["policy"]))
    policy.update(changes)
    policy["conditions"] = [
        ["content-length-range", 1, 10**10] if isinstance(c, list) else c
        for c in policy["conditions"]
    ]
    return base64.b64encode(json.dumps(policy).encode()).decode()


@pytest.mark.parametrize(
    ("fields", "status", "code"),
    [
        ({"x-tangerine-signature": "0" * 64}, 403, "bad_signature"),
        ({"x-tangerine-signature": ""}, 403, "bad_signature"),
        ({"key": "uploads/someone-else/evil"}, 403, "policy_mismatch"),
        ({"key": "variants/x/../../etc"}, 403, "policy_mismatch"),
        ({"Content-Type": "image/svg+xml"}, 403, "policy_mismatch"),
        ({"Content-Type": "image/png"}, 403, "policy_mismatch"),
    ],
)
def test_upload_refuses_forged_forms(
    as_user: Callable[[User], APIClient],
    alice: User,
    settings: Any,
    fields: dict[str, str],
    status: int,
    code: str,
) -> None:
    data = imagegen.jpeg(64, 64)
    grant = grant_for(as_user(alice), data)
    response = upload(grant, data, fields=fields)
    assert response.status_code == status
    assert response.json()["code"] == code
    assert not Path(settings.IMAGE_PRIVATE_ROOT).exists() or not any(
        p.is_file() for p in Path(settings.IMAGE_PRIVATE_ROOT).rglob("*")
    )


def test_upload_refuses_a_tampered_policy(
    as_user: Callable[[User], APIClient], alice: User
) -> None:
    data = imagegen.jpeg(64, 64)
    grant = grant_for(as_user(alice), data)
    later = (timezone.now() + timedelta(days=365)).strftime("%Y-%m-%dT%H:%M:%SZ")
    response = upload(grant, data, fields={"policy": _tampered_policy(grant, expiration=later)})
    assert response.status_code == 403
    assert response.json()["code"] == "bad_signature"


def test_upload_refuses_an_expired_grant(
    as_user: Callable[[User], APIClient], alice: User, settings: Any
) -> None:
    settings.IMAGE_GRANT_SECONDS = -1  # the grant is born expired
    data = imagegen.jpeg(64, 64)
    grant = grant_for(as_user(alice), data)
    response = upload(grant, data)
    assert response.status_code == 403
    assert response.json()["code"] == "grant_expired"


def test_upload_refuses_too_large_and_empty_files(
    as_user: Callable[[User], APIClient], alice: User, settings: Any
) -> None:
    settings.IMAGE_MAX_UPLOAD_BYTES = 4096
    client = as_user(alice)
    big = b"\xff\xd8\xff" + b"\x00" * 5000
    response = upload(grant_for(client, b"x" * 100), big)
    assert response.status_code == 413
    assert response.json()["code"] == "too_large"
    empty = upload(grant_for(client, b"x"), b"")
    assert empty.status_code == 400
    assert empty.json()["code"] == "empty_file"


def test_upload_refuses_a_body_far_beyond_the_limit_before_reading_it(
    as_user: Callable[[User], APIClient], alice: User, settings: Any
) -> None:
    settings.IMAGE_MAX_UPLOAD_BYTES = 4096
    grant = grant_for(as_user(alice), b"x" * 100)
    response = upload(grant, b"\x00" * 40_000)
    assert response.status_code == 413
    assert response.json()["code"] == "too_large"


def test_upload_needs_exactly_one_file(as_user: Callable[[User], APIClient], alice: User) -> None:
    grant = grant_for(as_user(alice), b"x" * 100)
    response = APIClient().post(grant["url"], dict(grant["fields"]), format="multipart")
    assert response.status_code == 400
    assert response.json()["code"] == "file_missing"


def test_a_grant_cannot_be_used_after_completion(
    as_user: Callable[[User], APIClient], alice: User
) -> None:
    data = imagegen.jpeg(64, 64)
    client = as_user(alice)
    grant = grant_for(client, data)
    assert upload(grant, data).status_code == 204
    assert client.post(f"/api/images/{grant['uuid']}/complete/").status_code == 202
    again = upload(grant, imagegen.jpeg(32, 32))
    assert again.status_code == 409
    assert again.json()["code"] == "upload_closed"
