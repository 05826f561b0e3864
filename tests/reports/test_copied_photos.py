"""Copied product photos are reported to staff, with both pictures, once per pair."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from rest_framework.test import APIClient

from tangerine.accounts.models import User
from tangerine.images.models import Image
from tangerine.images.services import images_hash_missing
from tangerine.products import services as products
from tangerine.products.models import Product
from tangerine.reports.models import PhotoMatch, Report
from tests.images import imagegen
from tests.support.api import REPORTS
from tests.support.images import grant_for, upload

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _private_uploads(settings: Any, tmp_path: Path) -> None:
    settings.IMAGE_PRIVATE_ROOT = str(tmp_path / "private")
    settings.IMAGE_STORAGE = "local"


@pytest.fixture
def photo(as_user: Callable[[User], APIClient]) -> Callable[[User, bytes], str]:
    """``photo(user, jpeg)``: upload, complete and process; returns the image uuid."""

    def run(user: User, data: bytes) -> str:
        client = as_user(user)
        grant = grant_for(client, data)
        assert upload(grant, data).status_code == 204
        assert client.post(f"/api/images/{grant['uuid']}/complete/").status_code == 202
        image = Image.objects.get(uuid=grant["uuid"])
        assert image.status == "ready" and image.phash is not None
        return str(grant["uuid"])

    return run


def _product(owner: User, image: str, name: str = "제주 귤 5kg") -> Product:
    return products.product_create(
        owner=owner, name=name, price=15000, link="https://store.example.com/p/1", images=[image]
    )


def test_a_copied_photo_is_reported_with_both_images_and_not_blocked(
    photo: Callable[[User, bytes], str],
    as_user: Callable[[User], APIClient],
    alice: User,
    bob: User,
    mod: User,
) -> None:
    original = _product(alice, photo(alice, imagegen.scene_jpeg(1)), "Alice's tangerines")
    copy_image = photo(bob, imagegen.scene_jpeg(1, width=700, quality=55))
    copy = _product(bob, copy_image)
    copy.refresh_from_db()
    assert copy.hidden_at is None  # never blocks or hides by itself
    report = Report.objects.get(reason="copied_photo")
    assert report.system and report.reporter is None
    assert (report.target_type, report.target_ref) == ("product", str(copy.uuid))
    assert report.target_user == bob
    (pair,) = report.evidence["copied_photos"]
    assert pair["image"]["uuid"] == copy_image
    assert pair["earlier_product"]["uuid"] == str(original.uuid)
    assert pair["earlier_product"]["owner"] == alice.handle
    assert pair["distance"] <= 6
    for side in ("image", "earlier_image"):
        assert pair[side]["url"].startswith("/media/images/")
    # In the staff queue beside user reports, and its detail shows the evidence.
    queue = as_user(mod).get(REPORTS, {"reason": "copied_photo"}).json()["results"]
    assert [(r["uuid"], r["reporter"], r["system"]) for r in queue] == [
        (str(report.uuid), None, True)
    ]
    detail = as_user(mod).get(f"{REPORTS}{report.uuid}/").json()
    assert detail["evidence"]["copied_photos"][0]["earlier_image"]["url"]
    assert [row["action"] for row in detail["history"]] == ["created"]


def test_a_different_photo_is_not_reported(
    photo: Callable[[User, bytes], str], alice: User, bob: User
) -> None:
    _product(alice, photo(alice, imagegen.scene_jpeg(1)))
    _product(bob, photo(bob, imagegen.scene_jpeg(2)))
    assert not Report.objects.filter(reason="copied_photo").exists()


def test_a_seller_reusing_their_own_photo_is_not_reported(
    photo: Callable[[User, bytes], str], alice: User
) -> None:
    _product(alice, photo(alice, imagegen.scene_jpeg(1)))
    _product(alice, photo(alice, imagegen.scene_jpeg(1, width=800)), "Same, again")
    assert not Report.objects.filter(reason="copied_photo").exists()


def test_the_earlier_seller_is_not_reported_for_the_later_copy(
    photo: Callable[[User, bytes], str], alice: User, bob: User
) -> None:
    first = _product(alice, photo(alice, imagegen.scene_jpeg(1)))
    _product(bob, photo(bob, imagegen.scene_jpeg(1, width=900)))
    products.product_update(product=first, data={"name": "Renamed"})  # alice's product changes
    assert list(Report.objects.values_list("target_user__handle", flat=True)) == ["bob"]


def test_at_most_once_per_pair(photo: Callable[[User, bytes], str], alice: User, bob: User) -> None:
    _product(alice, photo(alice, imagegen.scene_jpeg(1)))
    copy = _product(bob, photo(bob, imagegen.scene_jpeg(1, width=700)))
    for name in ("Edited once", "Edited twice"):
        products.product_update(product=copy, data={"name": name})
    assert Report.objects.filter(reason="copied_photo").count() == 1
    assert PhotoMatch.objects.count() == 1
    # A second copied photo added later is a new pair: one more report, for that pair only.
    _product(alice, photo(alice, imagegen.scene_jpeg(5)), "Alice's second")
    second = photo(bob, imagegen.scene_jpeg(5, width=600))
    current = [str(u) for u in copy.images.values_list("uuid", flat=True)]
    products.product_update(product=copy, data={"images": [*current, second]})
    reports = Report.objects.filter(reason="copied_photo").order_by("id")
    assert reports.count() == 2
    latest = reports.last()
    assert latest is not None
    assert [p["image"]["uuid"] for p in latest.evidence["copied_photos"]] == [second]


def test_a_photo_hashed_after_the_product_was_saved_is_still_checked(
    photo: Callable[[User, bytes], str], alice: User, bob: User
) -> None:
    _product(alice, photo(alice, imagegen.scene_jpeg(1)))
    late = photo(bob, imagegen.scene_jpeg(1, width=640))
    Image.objects.filter(uuid=late).update(phash=None)  # still processing, or before hashes
    _product(bob, late)
    assert not Report.objects.exists()
    assert images_hash_missing() == 1  # the sweep's backfill announces the hash
    assert Report.objects.filter(reason="copied_photo", target_user=bob).count() == 1


def test_users_cannot_file_copied_photo_reports(
    as_user: Callable[[User], APIClient], bob: User, alice: User
) -> None:
    body = {"target_type": "user", "target": alice.handle, "reason": "copied_photo"}
    response = as_user(bob).post(REPORTS, body, format="json")
    assert response.status_code == 400
    assert set(response.json()["fields"]) == {"reason"}
