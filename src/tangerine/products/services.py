"""Writes for products: create, update, delete (owner only; callers authorize first)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import transaction

from tangerine.accounts.models import User
from tangerine.images.services import images_attach, images_delete_unattached
from tangerine.products import hooks
from tangerine.products.models import MAX_IMAGES, Product, ProductImage

_EDITABLE = ("name", "description", "price", "currency", "link")


def _attach(product: Product, uuids: Sequence[Any], *, created: bool = False) -> None:
    images_attach(
        owner=product.owner,
        parent=product,
        link_model=ProductImage,
        parent_field="product",
        uuids=uuids,
        max_count=MAX_IMAGES,
        created=created,
    )


@transaction.atomic
def product_create(
    *,
    owner: User,
    name: str,
    price: int,
    link: str,
    description: str = "",
    currency: str = "KRW",
    images: Sequence[Any] = (),
) -> Product:
    """Create a product owned by ``owner``.

    ``images`` are image uuids: at most ``MAX_IMAGES``, the owner's own, not failed (else a
    ``ValidationError`` on ``images``). Field values are validated by ``full_clean``.
    """
    product = Product(
        owner=owner,
        name=name,
        description=description,
        price=price,
        currency=currency,
        link=link,
    )
    product.full_clean()
    product.save()
    _attach(product, images, created=True)
    hooks.product_changed.send(hooks.ProductChanged(product_id=product.pk))
    return product


@transaction.atomic
def product_update(*, product: Product, data: dict[str, Any]) -> Product:
    """Change the given fields of ``product`` (the caller checked ownership).

    ``data`` may hold any of name, description, price, currency, link and images (uuids, which
    replace the current list in the given order). Images no longer attached anywhere are deleted
    with their files.
    """
    for field in _EDITABLE:
        if field in data:
            setattr(product, field, data[field])
    product.full_clean()
    product.save()
    if "images" in data:
        _attach(product, data["images"])
    hooks.product_changed.send(hooks.ProductChanged(product_id=product.pk))
    return product


@transaction.atomic
def product_delete(*, product: Product) -> None:
    """Delete the product, and its images with their files unless something else uses them."""
    image_ids = list(
        ProductImage.objects.filter(product=product).values_list("image_id", flat=True)
    )
    product_id = product.pk
    product.delete()
    hooks.product_deleted.send(hooks.ProductDeleted(product_id=product_id))
    if image_ids:
        images_delete_unattached(image_ids=image_ids)
