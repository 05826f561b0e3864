"""The S3 backend over real HTTP against moto's server: grant, presigned POST upload, complete,
processing, variant reading, deletion. moto does not enforce POST policies, so the policy
document we sign is decoded and checked, and processing re-checks what was stored.
"""

from __future__ import annotations

import base64
import json
import uuid
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from typing import Any

import httpx
import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from tangerine.accounts.models import User
from tangerine.images.models import Image
from tangerine.images.services import images_delete_for_user
from tangerine.integrations import s3
from tests.images import imagegen

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="session")
def moto_endpoint() -> Iterator[str]:
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        yield f"http://{host}:{port}"
    finally:
        server.stop()


@pytest.fixture
def s3_settings(settings: Any, moto_endpoint: str) -> Any:
    settings.IMAGE_STORAGE = "s3"
    settings.S3_ENDPOINT_URL = moto_endpoint
    settings.S3_BUCKET = f"tangerine-test-{uuid.uuid4().hex[:12]}"
    settings.S3_REGION = "us-east-1"
    settings.S3_ACCESS_KEY_ID = "testing"
    settings.S3_SECRET_ACCESS_KEY = "testing"  # moto accepts any credentials
    settings.S3_ADDRESSING_STYLE = "path"
    settings.S3_CUSTOM_DOMAIN = None
    s3.s3_client().create_bucket(Bucket=settings.S3_BUCKET)
    return settings


def _keys(settings: Any) -> list[str]:
    listing = s3.s3_client().list_objects_v2(Bucket=settings.S3_BUCKET)
    return sorted(item["Key"] for item in listing.get("Contents", []))


def _grant(client: APIClient, data: bytes, content_type: str = "image/jpeg") -> dict[str, Any]:
    response = client.post(
        "/api/images/presigned/",
        {"filename": "IMG_0001.JPG", "content_type": content_type, "size": len(data)},
        format="json",
    )
    assert response.status_code == 201, response.json()
    return dict(response.json())


def _post_to_s3(grant: dict[str, Any], data: bytes, content_type: str) -> httpx.Response:
    return httpx.post(
        grant["url"],
        data=grant["fields"],
        files={"file": ("IMG_0001.JPG", data, content_type)},
        timeout=10,
    )


def test_the_signed_policy_has_every_condition(
    s3_settings: Any, as_user: Callable[[User], APIClient], alice: User
) -> None:
    grant = _grant(as_user(alice), b"x" * 1000, "image/webp")
    assert grant["url"].startswith(s3_settings.S3_ENDPOINT_URL)
    fields = grant["fields"]
    key = f"uploads/{alice.uuid}/{grant['uuid']}"
    assert fields["key"] == key
    assert fields["Content-Type"] == "image/webp"
    assert "x-amz-signature" in fields and "x-amz-credential" in fields
    assert "acl" not in fields  # never a public ACL
    policy = json.loads(base64.b64decode(fields["policy"]))
    conditions = policy["conditions"]
    assert {"bucket": s3_settings.S3_BUCKET} in conditions
    assert {"key": key} in conditions
    assert {"Content-Type": "image/webp"} in conditions
    assert ["content-length-range", 1, s3_settings.IMAGE_MAX_UPLOAD_BYTES] in conditions
    assert not any("starts-with" in json.dumps(c) for c in conditions)  # exact, not a prefix
    expires = datetime.fromisoformat(policy["expiration"].replace("Z", "+00:00"))
    assert timedelta(minutes=4) < expires - timezone.now() <= timedelta(minutes=5, seconds=1)


def test_upload_complete_process_and_read_variants_over_http(
    s3_settings: Any, as_user: Callable[[User], APIClient], alice: User
) -> None:
    client = as_user(alice)
    data = imagegen.jpeg_with_exif(imagegen.halves(1600, 1200), orientation=1)
    grant = _grant(client, data)
    stored = _post_to_s3(grant, data, "image/jpeg")
    assert stored.status_code == 204, stored.text
    assert _keys(s3_settings) == [grant["fields"]["key"]]

    completed = client.post(f"/api/images/{grant['uuid']}/complete/")
    assert completed.status_code == 202
    body = client.get(f"/api/images/{grant['uuid']}/").json()
    assert body["status"] == "ready", body
    assert (body["width"], body["height"]) == (1600, 1200)
    assert len(body["variants"]) == 4
    for variant in body["variants"]:
        assert variant["url"].startswith(s3_settings.S3_ENDPOINT_URL)
        assert "X-Amz-Signature=" in variant["url"]  # private bucket: presigned GETs
        fetched = httpx.get(variant["url"], timeout=10)
        assert fetched.status_code == 200
        assert fetched.headers["content-type"] == f"image/{variant['format']}"
        pixels = imagegen.decode(fetched.content)
        assert pixels.shape[:2] == (variant["height"], variant["width"])
        assert b"Exif" not in fetched.content
    # The original is gone; only the variants remain.
    assert _keys(s3_settings) == sorted(
        f"images/{grant['uuid']}/{w}w.{ext}" for w in (1080, 320) for ext in ("jpg", "webp")
    )


def test_what_a_lax_s3_stores_is_still_refused_by_processing(
    s3_settings: Any, as_user: Callable[[User], APIClient], alice: User
) -> None:
    s3_settings.IMAGE_MAX_UPLOAD_BYTES = 2048
    client = as_user(alice)
    # moto ignores content-length-range, exact Content-Type and key conditions: it stores these.
    big = _grant(client, b"x" * 100)
    assert _post_to_s3(big, imagegen.jpeg(640, 480), "image/jpeg").status_code == 204
    text = _grant(client, b"x" * 100)
    assert _post_to_s3(text, imagegen.TEXT, "image/jpeg").status_code == 204
    for grant, reason in ((big, "bytes"), (text, "not a JPEG, PNG or WebP")):
        client.post(f"/api/images/{grant['uuid']}/complete/")
        body = client.get(f"/api/images/{grant['uuid']}/").json()
        assert body["status"] == "failed"
        assert reason in body["error"]
    assert _keys(s3_settings) == []  # refused originals are deleted too


def test_complete_before_upload_is_409_on_s3(
    s3_settings: Any, as_user: Callable[[User], APIClient], alice: User
) -> None:
    client = as_user(alice)
    grant = _grant(client, b"x" * 100)
    response = client.post(f"/api/images/{grant['uuid']}/complete/")
    assert response.status_code == 409
    assert response.json()["code"] == "upload_missing"


def test_deleting_a_users_images_deletes_the_objects(
    s3_settings: Any,
    as_user: Callable[[User], APIClient],
    alice: User,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    client = as_user(alice)
    data = imagegen.jpeg(500, 400)
    grant = _grant(client, data)
    _post_to_s3(grant, data, "image/jpeg")
    client.post(f"/api/images/{grant['uuid']}/complete/")
    assert len(_keys(s3_settings)) == 4
    with django_capture_on_commit_callbacks(execute=True):
        images_delete_for_user(user=alice)
        alice.delete()
    assert _keys(s3_settings) == []
    assert not Image.objects.exists()


def test_an_object_grown_after_the_size_check_is_refused_without_reading_it_all(
    s3_settings: Any,
    as_user: Callable[[User], APIClient],
    alice: User,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The grant stays valid after "complete": a lax S3 clone lets the client replace the object
    with a much bigger one between processing's size check and its read."""
    from tangerine.integrations.storage import S3ImageStorage

    s3_settings.IMAGE_MAX_UPLOAD_BYTES = 2048
    client = as_user(alice)
    grant = _grant(client, b"x" * 100)
    assert _post_to_s3(grant, b"\xff\xd8\xff" + b"x" * 1000, "image/jpeg").status_code == 204
    real_size = S3ImageStorage.original_size
    checked: dict[str, int | None] = {}

    def size_then_grow(self: S3ImageStorage, *, key: str) -> int | None:
        # Every size check sees the small upload; right after it, the big one replaces it.
        size = checked.setdefault(key, real_size(self, key=key))
        s3.s3_object_put(key=key, data=imagegen.jpeg(640, 480) + b"\0" * 200_000)
        return size

    monkeypatch.setattr(S3ImageStorage, "original_size", size_then_grow)
    client.post(f"/api/images/{grant['uuid']}/complete/")
    body = client.get(f"/api/images/{grant['uuid']}/").json()
    assert body["status"] == "failed"
    assert "larger than 2048 bytes" in body["error"]


def test_original_reads_stop_one_byte_past_the_cap(s3_settings: Any) -> None:
    from tangerine.integrations.storage import S3ImageStorage

    s3.s3_object_put(key="uploads/x/big", data=b"y" * 50_000)
    assert len(S3ImageStorage().original_read(key="uploads/x/big", max_bytes=100)) == 101
    assert len(S3ImageStorage().original_read(key="uploads/x/big")) == 50_000
