"""What reports reacts to (connected in ``ReportsConfig.ready``): copied product photos."""

from __future__ import annotations

from django.db import transaction

from tangerine.images import hooks as images
from tangerine.products import hooks as products
from tangerine.reports import photos


def _product_changed(event: products.ProductChanged) -> None:
    # Inside the product's transaction (a report stands or falls with the write).
    photos.copied_photos_check(product_id=event.product_id)


def _image_hashed(event: images.ImageHashed) -> None:
    with transaction.atomic():
        photos.copied_photos_check_for_image(image_id=event.image_id)


def connect() -> None:
    products.product_changed.connect(_product_changed)
    images.image_hashed.connect(_image_hashed)
