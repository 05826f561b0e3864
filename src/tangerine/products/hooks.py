"""What products announce to the apps above them (see ``core.hooks``): search indexes them,
notifications tell the seller about saves."""

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


product_changed: Hook[ProductChanged] = Hook("products.product_changed")
product_deleted: Hook[ProductDeleted] = Hook("products.product_deleted")
product_saved: Hook[ProductSaved] = Hook("products.product_saved")
