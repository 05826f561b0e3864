"""Processing uploads with real image bytes: variants, orientation, metadata, hostile files."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from rest_framework.test import APIClient

from tangerine.accounts.models import User
from tangerine.core.models_jobs import Job
from tangerine.core.tasks import run_pending_jobs
from tangerine.images.models import Image
from tangerine.integrations import imaging
from tests.images import imagegen
from tests.support.images import grant_for, upload

pytestmark = pytest.mark.django_db


def _variant_bytes(settings: Any, body: dict[str, Any], fmt: str, width: int) -> bytes:
    image = Image.objects.get(uuid=body["uuid"])
    (variant,) = [v for v in image.variants if v["format"] == fmt and v["width"] == width]
    return Path(settings.MEDIA_ROOT, variant["key"]).read_bytes()


def test_a_photo_becomes_four_variants_within_bounds(
    uploaded: Callable[..., dict[str, Any]], alice: User, settings: Any
) -> None:
    body = uploaded(alice, imagegen.jpeg(1600, 1200))
    assert body["status"] == "ready", body
    assert body["error"] is None
    assert (body["width"], body["height"]) == (1600, 1200)
    got = sorted((v["width"], v["height"], v["format"]) for v in body["variants"])
    assert got == [(320, 240, "jpeg"), (320, 240, "webp"), (1080, 810, "jpeg"), (1080, 810, "webp")]
    for variant in body["variants"]:
        assert variant["url"].startswith("/media/images/")
        data = _variant_bytes(settings, body, variant["format"], variant["width"])
        assert imaging.sniff(data) == variant["format"]
        assert imagegen.decode(data).shape[:2] == (variant["height"], variant["width"])


def test_the_original_is_deleted_and_never_served(
    uploaded: Callable[..., dict[str, Any]], alice: User, settings: Any
) -> None:
    data = imagegen.jpeg(800, 600)
    body = uploaded(alice, data)
    image = Image.objects.get(uuid=body["uuid"])
    assert not Path(settings.IMAGE_PRIVATE_ROOT, image.key).exists()
    served = [p.read_bytes() for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()]
    assert data not in served
    assert all(image.key not in v["url"] for v in body["variants"])


def test_small_images_are_never_upscaled(
    uploaded: Callable[..., dict[str, Any]], alice: User
) -> None:
    body = uploaded(alice, imagegen.png(200, 150), "image/png")
    assert body["status"] == "ready", body
    assert {(v["width"], v["height"]) for v in body["variants"]} == {(200, 150)}
    assert sorted(v["format"] for v in body["variants"]) == ["jpeg", "webp"]


def test_webp_and_png_with_transparency_are_accepted(
    uploaded: Callable[..., dict[str, Any]], alice: User, settings: Any
) -> None:
    assert uploaded(alice, imagegen.webp(500, 400), "image/webp")["status"] == "ready"
    rgba = np.zeros((100, 100, 4), dtype=np.uint8)  # fully transparent
    body = uploaded(alice, imagegen.encode(rgba, ".png"), "image/png")
    assert body["status"] == "ready"
    pixel = imagegen.decode(_variant_bytes(settings, body, "jpeg", 100))[50, 50]
    assert pixel.min() > 240  # flattened onto white, not black


def test_exif_orientation_is_applied_and_gps_is_gone(
    uploaded: Callable[..., dict[str, Any]], alice: User, settings: Any
) -> None:
    # Stored 200x100 with the left half red; Orientation 6 means "turn 90 degrees clockwise".
    data = imagegen.jpeg_with_exif(imagegen.halves(200, 100), orientation=6)
    assert b"Exif" in data and 0xE1 in imagegen.jpeg_segments(data)
    body = uploaded(alice, data)
    assert body["status"] == "ready", body
    assert (body["width"], body["height"]) == (100, 200)
    for fmt in ("jpeg", "webp"):
        out = _variant_bytes(settings, body, fmt, 100)
        pixels = imagegen.decode(out)
        assert pixels.shape[:2] == (200, 100)
        top, bottom = pixels[30, 50], pixels[170, 50]
        assert top[2] > 200 and top[0] < 60  # red went to the top
        assert bottom[0] > 200 and bottom[2] < 60  # blue to the bottom
        assert b"Exif" not in out and b"EXIF" not in out
        lat = np.array([37, 1, 33, 1, 5800, 100], dtype="<u4").tobytes()
        assert lat not in out
    assert 0xE1 not in imagegen.jpeg_segments(_variant_bytes(settings, body, "jpeg", 100))


def test_large_jpegs_use_reduced_decoding_and_keep_full_dimensions(
    uploaded: Callable[..., dict[str, Any]], alice: User
) -> None:
    body = uploaded(alice, imagegen.jpeg(2400, 2200))
    assert body["status"] == "ready", body
    assert (body["width"], body["height"]) == (2400, 2200)
    assert max(v["width"] for v in body["variants"]) == 1080


def test_a_polyglot_is_re_encoded_clean(
    uploaded: Callable[..., dict[str, Any]], alice: User, settings: Any
) -> None:
    data = imagegen.polyglot()
    assert b"PK\x03\x04" in data and b"<script>" in data
    body = uploaded(alice, data)
    assert body["status"] == "ready", body
    for variant in body["variants"]:
        out = _variant_bytes(settings, body, variant["format"], variant["width"])
        assert b"PK\x03\x04" not in out and b"<script>" not in out and b"payload.js" not in out


@pytest.mark.parametrize(
    ("data", "content_type", "reason"),
    [
        (imagegen.TEXT, "image/jpeg", "not a JPEG, PNG or WebP"),
        (imagegen.SVG, "image/png", "not a JPEG, PNG or WebP"),
        (imagegen.jpeg(640, 480)[:5000], "image/jpeg", "truncated"),
        (imagegen.png(300, 200)[:-200], "image/png", "truncated"),
        (imagegen.png_claiming(30000, 30000), "image/png", "30000x30000"),
        (imagegen.png_bomb(), "image/png", "7100x7100"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF" + b"\x00" * 50, "image/jpeg", "JPEG"),
    ],
    ids=[
        "text-named-jpg",
        "svg",
        "truncated-jpeg",
        "truncated-png",
        "header-bomb",
        "png-bomb",
        "jpeg-without-frame",
    ],
)
def test_hostile_or_broken_files_fail_with_a_reason(
    uploaded: Callable[..., dict[str, Any]],
    alice: User,
    settings: Any,
    data: bytes,
    content_type: str,
    reason: str,
) -> None:
    body = uploaded(alice, data, content_type)
    assert body["status"] == "failed"
    assert reason in body["error"]
    assert body["variants"] == []
    media = Path(settings.MEDIA_ROOT)
    assert not media.exists() or not any(p.is_file() for p in media.rglob("*"))
    assert not Path(settings.IMAGE_PRIVATE_ROOT, f"uploads/{alice.uuid}/{body['uuid']}").exists()


def test_a_stored_object_larger_than_allowed_fails(
    as_user: Callable[[User], APIClient], alice: User, settings: Any
) -> None:
    # What a lax S3 clone would let through: the file is bigger than the grant allowed.
    client = as_user(alice)
    data = imagegen.jpeg(640, 480)
    grant = grant_for(client, data)
    assert upload(grant, data).status_code == 204
    settings.IMAGE_MAX_UPLOAD_BYTES = len(data) - 1
    client.post(f"/api/images/{grant['uuid']}/complete/")
    body = client.get(f"/api/images/{grant['uuid']}/").json()
    assert body["status"] == "failed"
    assert "bytes" in body["error"]


def test_opencv_pixel_cap_is_armed_before_cv2_loads() -> None:
    assert os.environ["OPENCV_IO_MAX_IMAGE_PIXELS"] == str(imaging.MAX_DECODE_PIXELS)
    bomb = imagegen.png_bomb()
    with pytest.raises(imaging.cv2.error):
        imaging.cv2.imdecode(np.frombuffer(bomb, dtype=np.uint8), imaging.cv2.IMREAD_UNCHANGED)


# ---- complete and read ------------------------------------------------------------------


def test_only_the_uploader_may_complete(
    anon: APIClient, as_user: Callable[[User], APIClient], alice: User, bob: User
) -> None:
    data = imagegen.jpeg(64, 64)
    grant = grant_for(as_user(alice), data)
    upload(grant, data)
    url = f"/api/images/{grant['uuid']}/complete/"
    refused = as_user(bob).post(url)
    assert refused.status_code == 403
    assert refused.json()["code"] == "permission_denied"
    assert anon.post(url).status_code == 401
    assert Image.objects.get(uuid=grant["uuid"]).status == Image.Status.PENDING


@pytest.mark.parametrize("bad", ["nope", "00000000-0000-0000-0000-000000000000"])
def test_unknown_images_are_404(
    anon: APIClient, as_user: Callable[[User], APIClient], alice: User, bad: str
) -> None:
    assert anon.get(f"/api/images/{bad}/").status_code == 404
    assert as_user(alice).post(f"/api/images/{bad}/complete/").status_code == 404


def test_complete_before_upload_is_409_and_stays_pending(
    as_user: Callable[[User], APIClient], alice: User
) -> None:
    client = as_user(alice)
    grant = grant_for(client, b"x" * 10)
    response = client.post(f"/api/images/{grant['uuid']}/complete/")
    assert response.status_code == 409
    assert response.json()["code"] == "upload_missing"
    assert client.get(f"/api/images/{grant['uuid']}/").json()["status"] == "pending"


def test_complete_twice_is_harmless(as_user: Callable[[User], APIClient], alice: User) -> None:
    data = imagegen.jpeg(300, 200)
    client = as_user(alice)
    grant = grant_for(client, data)
    upload(grant, data)
    first = client.post(f"/api/images/{grant['uuid']}/complete/")
    second = client.post(f"/api/images/{grant['uuid']}/complete/")
    assert first.status_code == second.status_code == 202
    assert second.json()["status"] == "ready"
    assert len(second.json()["variants"]) == 2


def test_anyone_reads_status_but_pending_images_have_no_variants(
    anon: APIClient, as_user: Callable[[User], APIClient], alice: User
) -> None:
    grant = grant_for(as_user(alice), b"x" * 10)
    body = anon.get(f"/api/images/{grant['uuid']}/").json()
    assert body == {
        "uuid": grant["uuid"],
        "status": "pending",
        "error": None,
        "width": None,
        "height": None,
        "variants": [],
    }


def test_the_durable_worker_processes_completed_uploads(
    as_user: Callable[[User], APIClient], alice: User, settings: Any
) -> None:
    settings.TASKS_BACKEND = "database"
    client = as_user(alice)
    data = imagegen.jpeg(640, 480)
    grant = grant_for(client, data)
    upload(grant, data)
    response = client.post(f"/api/images/{grant['uuid']}/complete/")
    assert response.json()["status"] == "processing"
    assert Job.objects.filter(name="tangerine.images.tasks.image_process").count() == 1
    assert run_pending_jobs() == 1
    body = client.get(f"/api/images/{grant['uuid']}/").json()
    assert body["status"] == "ready"
    assert {v["width"] for v in body["variants"]} == {640, 320}
    assert Job.objects.get().status == Job.Status.DONE
    assert run_pending_jobs() == 0


def test_processing_time_is_recorded_for_metrics(
    uploaded: Callable[..., dict[str, Any]], alice: User
) -> None:
    from prometheus_client import REGISTRY

    def count(outcome: str) -> float:
        name = "tangerine_image_processing_seconds_count"
        return REGISTRY.get_sample_value(name, {"outcome": outcome}) or 0.0

    ready, failed = count("ready"), count("failed")
    assert uploaded(alice, imagegen.jpeg(400, 300))["status"] == "ready"
    assert uploaded(alice, b"not an image at all")["status"] == "failed"
    assert (count("ready") - ready, count("failed") - failed) == (1, 1)
