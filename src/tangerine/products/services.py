"""Writes for products: create, update, delete (owner only; callers authorize first)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from tangerine.accounts.models import User
from tangerine.images.services import images_attach, images_delete_unattached
from tangerine.products import hooks
from tangerine.products.models import MAX_IMAGES, Product, ProductImage, ProductSave
from tangerine.products.tracking import popularity_refresh

_EDITABLE = ("name", "description", "price", "currency", "link", "status", "category", "utm")


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
    status: str | None = None,
    category: str | None = None,
    utm: bool | None = None,
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
    # Left out: the model's defaults (on sale, category "other", utm on).
    for field, value in (("status", status), ("category", category), ("utm", utm)):
        if value is not None:
            setattr(product, field, value)
    product.full_clean()
    product.save()
    _attach(product, images, created=True)
    hooks.product_changed.send(hooks.ProductChanged(product_id=product.pk))
    return product


@transaction.atomic
def product_update(*, product: Product, data: dict[str, Any]) -> Product:
    """Change the given fields of ``product`` (the caller checked ownership).

    ``data`` may hold any of name, description, price, currency, link, status, category, utm
    and images (uuids, which replace the current list in the given order). Images no longer
    attached anywhere are deleted with their files.
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


def product_save(*, user: User, product: Product) -> bool:
    """``user`` saves (찜) ``product``; True if this made a new save, False if it was saved.

    Idempotent and safe when the same user saves at once from two places: the unique
    constraint lets one insert win; the other ends in the savepoint's IntegrityError. Only a new
    save moves ``save_count`` and ``popularity`` (F() in the same transaction) and, after commit,
    sends ``product_saved`` (the seller may be notified).
    """
    try:
        with transaction.atomic():
            ProductSave.objects.create(product=product, user=user, day=timezone.localdate())
            Product.objects.filter(pk=product.pk).update(
                save_count=F("save_count") + 1, popularity=F("popularity") + 1
            )
    except IntegrityError:
        return False
    payload = hooks.ProductSaved(product_id=product.pk, user_id=user.pk)
    transaction.on_commit(lambda: hooks.product_saved.send(payload))
    return True


@transaction.atomic
def product_unsave(*, user: User, product: Product) -> bool:
    """Remove ``user``'s save of ``product``; True if there was one. Idempotent.

    ``delete()`` reports the rows it removed, so of two concurrent unsaves only one moves the
    counter. Popularity is recomputed for the product (the save may have been recent).
    """
    deleted, _ = ProductSave.objects.filter(product=product, user=user).delete()
    if not deleted:
        return False
    Product.objects.filter(pk=product.pk, save_count__gt=0).update(save_count=F("save_count") - 1)
    popularity_refresh(product_ids=[product.pk])
    return True
