"""What products announce to the apps above them (see ``core.hooks``): search indexes them."""

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


product_changed: Hook[ProductChanged] = Hook("products.product_changed")
product_deleted: Hook[ProductDeleted] = Hook("products.product_deleted")
