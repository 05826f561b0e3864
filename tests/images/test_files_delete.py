"""Deleting an owner deletes the files: originals and variants, only after the commit."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tangerine.accounts.models import User
from tangerine.images.models import Image
from tangerine.images.services import image_files_delete, images_delete_for_user
from tests.images import imagegen

pytestmark = pytest.mark.django_db


def _files(settings: Any) -> list[Path]:
    roots = [Path(settings.MEDIA_ROOT), Path(settings.IMAGE_PRIVATE_ROOT)]
    return [p for root in roots if root.exists() for p in root.rglob("*") if p.is_file()]


def test_deleting_an_account_deletes_all_its_image_files(
    uploaded: Callable[..., dict[str, Any]],
    alice: User,
    bob: User,
    settings: Any,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    uploaded(alice, imagegen.jpeg(800, 600))
    uploaded(alice, imagegen.png(300, 300), "image/png")
    bobs = uploaded(bob, imagegen.jpeg(400, 300))
    assert len(_files(settings)) == 4 + 2 + 4
    with django_capture_on_commit_callbacks(execute=True):
        # What accounts.services.user_delete does before user.delete().
        images_delete_for_user(user=alice)
        alice.delete()
    left = _files(settings)
    assert len(left) == 4
    assert all(bobs["uuid"] in str(path) for path in left)
    assert not Image.objects.filter(owner_id=alice.pk).exists()


def test_files_stay_when_the_deletion_rolls_back(
    uploaded: Callable[..., dict[str, Any]],
    alice: User,
    settings: Any,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    uploaded(alice, imagegen.jpeg(400, 300))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        image_files_delete(images=Image.objects.filter(owner=alice))
    assert len(callbacks) == 1
    assert len(_files(settings)) == 4  # nothing happens until the transaction commits


def test_missing_files_do_not_stop_the_rest(
    uploaded: Callable[..., dict[str, Any]],
    alice: User,
    settings: Any,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    body = uploaded(alice, imagegen.jpeg(400, 300))
    image = Image.objects.get(uuid=body["uuid"])
    Path(settings.MEDIA_ROOT, image.variants[0]["key"]).unlink()
    with django_capture_on_commit_callbacks(execute=True):
        image_files_delete(images=[image])
    assert _files(settings) == []
