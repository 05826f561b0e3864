"""Copied product photos: a product whose photo is near-identical to another seller's earlier
product photo (uploaded before it) is reported to staff (a scam and counterfeit signal).

Runs when a product is created or changed (``products.product_changed``) and when one of its
pictures gets its perceptual hash (``images.image_hashed``: processing finishes after the product
is saved, and the sweep backfills older images). It files a *system* report (no reporter,
``reason = copied_photo``) with both pictures as evidence, at most once per pair of images
(``PhotoMatch``), and never refuses or hides anything by itself.

Comparison is a linear scan over the hashes of other sellers' earlier product photos (one narrow
query); fine for tens of thousands of photos. Beyond that, index hash bands (see docs/reports.md).
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import IntegrityError, transaction

from tangerine.core.moderation import content_kind
from tangerine.images.evidence import image_evidence
from tangerine.images.models import Image
from tangerine.images.phash import distance
from tangerine.integrations.storage import image_storage
from tangerine.products.models import Product, ProductImage
from tangerine.reports.models import AuditLog, PhotoMatch, Reason, Report, Status, TargetType

logger = logging.getLogger(__name__)

# At most this many of the 64 hash bits may differ for two photos to count as the same picture.
MAX_DISTANCE = 6


class _NothingNewError(Exception):
    pass


def _image_with_url(image: Image) -> dict[str, Any]:
    evidence = image_evidence(image)
    jpegs = [v for v in image.variants or [] if v.get("format") == "jpeg" and v.get("key")]
    widest = max(jpegs, key=lambda v: int(v.get("width") or 0)) if jpegs else None
    evidence["url"] = image_storage().variant_url(key=str(widest["key"])) if widest else None
    return evidence


def copied_photos_check(*, product_id: int) -> Report | None:
    """Compare the product's hashed photos with other sellers' earlier product photos; file one
    system report for the pairs not reported before. Returns the report, or None."""
    product = Product.objects.select_related("owner").filter(pk=product_id).first()
    if product is None:
        return None
    mine = [
        (image_id, int(value))
        for image_id, value in ProductImage.objects.filter(
            product=product, image__phash__isnull=False
        ).values_list("image_id", "image__phash")
        if value is not None
    ]
    if not mine:
        return None
    # "Earlier" is the picture's upload order (image ids grow), so a copy added to an old
    # product by an edit is caught, and the original's seller is never the one reported.
    earlier = (
        ProductImage.objects.filter(
            image__phash__isnull=False, image_id__lt=max(image_id for image_id, _ in mine)
        )
        .exclude(product__owner_id=product.owner_id)
        .values_list("image_id", "image__phash", "product_id")
    )
    found: list[tuple[int, int, int, int]] = []  # (image, earlier image, earlier product, bits)
    for other_image, other_hash, other_product in earlier.iterator(chunk_size=2000):
        if other_hash is None:
            continue
        for image_id, value in mine:
            bits = distance(value, other_hash)
            if bits <= MAX_DISTANCE and other_image < image_id:
                found.append((image_id, other_image, other_product, bits))
    if not found:
        return None
    known = set(
        PhotoMatch.objects.filter(image_id__in=[i for i, _ in mine]).values_list(
            "image_id", "earlier_image_id"
        )
    )
    fresh = [match for match in found if (match[0], match[1]) not in known]
    if not fresh:
        return None
    try:
        with transaction.atomic():
            return _file_report(product=product, matches=fresh)
    except _NothingNewError:  # a parallel check recorded these pairs first
        return None


def _file_report(*, product: Product, matches: list[tuple[int, int, int, int]]) -> Report:
    kind = content_kind(TargetType.PRODUCT)
    snapshot = kind.snapshot(product) if kind is not None else {"uuid": str(product.uuid)}
    report = Report.objects.create(
        reporter=None,
        system=True,
        target_type=TargetType.PRODUCT,
        target_id=product.pk,
        target_ref=str(product.uuid),
        target_user=product.owner,
        reason=Reason.COPIED_PHOTO,
        description="A photo of this product is near-identical to another seller's earlier photo.",
        evidence=snapshot,
    )
    recorded: list[tuple[int, int, int, int]] = []
    for image_id, other_image, other_product, bits in matches:
        try:
            with transaction.atomic():
                PhotoMatch.objects.create(
                    image_id=image_id,
                    earlier_image_id=other_image,
                    product_id=product.pk,
                    earlier_product_id=other_product,
                    distance=bits,
                    report=report,
                )
        except IntegrityError:
            continue
        recorded.append((image_id, other_image, other_product, bits))
    if not recorded:
        raise _NothingNewError
    images = Image.objects.in_bulk({m[0] for m in recorded} | {m[1] for m in recorded})
    products = Product.objects.select_related("owner").in_bulk({m[2] for m in recorded})
    pairs = []
    for image_id, other_image, other_product, bits in recorded:
        earlier = products.get(other_product)
        pairs.append(
            {
                "image": _image_with_url(images[image_id]) if image_id in images else None,
                "earlier_image": (
                    _image_with_url(images[other_image]) if other_image in images else None
                ),
                "earlier_product": {
                    "uuid": str(earlier.uuid),
                    "name": earlier.name,
                    "owner": earlier.owner.handle,
                    "created_at": earlier.created_at.isoformat(),
                }
                if earlier is not None
                else None,
                "distance": bits,
            }
        )
    report.evidence = {**snapshot, "copied_photos": pairs}
    report.save(update_fields=["evidence", "updated_at"])
    AuditLog.objects.create(
        report=report,
        actor=None,
        actor_handle="",
        action="created",
        to_status=Status.PENDING,
        payload={"reason": Reason.COPIED_PHOTO, "system": True, "pairs": len(pairs)},
    )
    logger.info(
        "Copied photo: product %s, %d pair(s), report %s", product.pk, len(pairs), report.uuid
    )
    return report


def copied_photos_check_for_image(*, image_id: int) -> list[Report]:
    """After an image got its hash: check every product that shows it."""
    links = ProductImage.objects.filter(image_id=image_id)
    product_ids = links.values_list("product_id", flat=True)
    found = [copied_photos_check(product_id=pk) for pk in sorted(set(product_ids))]
    return [report for report in found if report is not None]
