"""Perceptual hashes of processed images (dHash through OpenCV), and their backfill."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.management import call_command

from tangerine.accounts.models import User
from tangerine.images import hooks
from tangerine.images.models import Image
from tangerine.images.phash import dhash, distance
from tests.images import imagegen

pytestmark = pytest.mark.django_db


def _hash_of(uploaded: Callable[..., dict[str, Any]], user: User, data: bytes) -> int:
    body = uploaded(user, data)
    assert body["status"] == "ready", body
    value = Image.objects.get(uuid=body["uuid"]).phash
    assert value is not None
    return int(value)


def test_a_resized_re_encoded_copy_is_near_and_another_photo_is_far(
    uploaded: Callable[..., dict[str, Any]], alice: User, bob: User
) -> None:
    original = _hash_of(uploaded, alice, imagegen.scene_jpeg(1))
    copy = _hash_of(uploaded, bob, imagegen.scene_jpeg(1, width=700, quality=55))
    png = _hash_of(uploaded, bob, imagegen.encode(imagegen.scene(1), ".png"))
    other = _hash_of(uploaded, bob, imagegen.scene_jpeg(2))
    assert distance(original, copy) <= 6
    assert distance(original, png) <= 6
    assert distance(original, other) > 16


def test_hashes_fit_a_signed_64_bit_column_and_distance_is_symmetric() -> None:
    values = [dhash(imagegen.scene_jpeg(seed)) for seed in range(1, 6)]
    assert all(v is not None and -(2**63) <= v < 2**63 for v in values)
    a, b = values[0], values[1]
    assert a is not None and b is not None
    assert distance(a, b) == distance(b, a)
    assert distance(a, a) == 0
    assert distance(0, -1) == 64
    assert dhash(b"not an image") is None


def test_the_sweep_backfills_missing_hashes_and_announces_them(
    uploaded: Callable[..., dict[str, Any]], alice: User
) -> None:
    body = uploaded(alice, imagegen.scene_jpeg(3))
    image = Image.objects.get(uuid=body["uuid"])
    before = image.phash
    Image.objects.filter(pk=image.pk).update(phash=None)  # processed before hashes existed
    heard: list[int] = []
    listener = hooks.image_hashed.connect(lambda event: heard.append(event.image_id))
    try:
        call_command("images_sweep")
    finally:
        hooks.image_hashed.receivers.remove(listener)
    image.refresh_from_db()
    assert image.phash == before  # the same narrowest JPEG as processing hashed
    assert heard == [image.pk]


def test_the_backfill_skips_images_whose_variant_is_gone(
    uploaded: Callable[..., dict[str, Any]], alice: User, settings: Any
) -> None:
    from tangerine.images.services import images_hash_missing
    from tangerine.integrations.storage import image_storage

    body = uploaded(alice, imagegen.scene_jpeg(4))
    image = Image.objects.get(uuid=body["uuid"])
    Image.objects.filter(pk=image.pk).update(phash=None)
    for variant in image.variants:
        image_storage().variant_delete(key=variant["key"])
    assert images_hash_missing() == 0
    image.refresh_from_db()
    assert image.phash is None
