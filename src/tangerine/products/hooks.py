"""What products announce to the apps above them (see ``core.hooks``): search indexes them,
notifications tell the seller about saves and about store links that need a fix."""

from __future__ import annotations

from dataclasses import dataclass

from tangerine.core.hooks import Hook


@dataclass(frozen=True)
class ProductChanged:
    """A product was created, edited, hidden or shown again."""

    product_id: int


@dataclass(frozen=True)
class ProductDeleted:
    product_id: int


@dataclass(frozen=True)
class ProductSaved:
    """``user_id`` saved (찜) ``product_id``; the seller may be told."""

    product_id: int
    user_id: int


@dataclass(frozen=True)
class StoreLinkChanged:
    """A store-link check newly found something for the seller to fix.

    ``issues`` holds ``"link"`` (broken), ``"price"`` (the store states another price) and/or
    ``"stock"`` (the store is out of stock while the product is on sale).
    """

    product_id: int
    issues: tuple[str, ...]


product_changed: Hook[ProductChanged] = Hook("products.product_changed")
product_deleted: Hook[ProductDeleted] = Hook("products.product_deleted")
product_saved: Hook[ProductSaved] = Hook("products.product_saved")
store_link_changed: Hook[StoreLinkChanged] = Hook("products.store_link_changed")
