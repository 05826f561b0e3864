"""Products as reportable targets (``core.moderation``); hiding one re-indexes it."""

from __future__ import annotations

from typing import Any

from tangerine.accounts.moderation import person_evidence
from tangerine.core import moderation
from tangerine.images.evidence import image_evidence
from tangerine.products import hooks
from tangerine.products.models import Product


def product_set_hidden(pk: int, hidden: bool) -> bool:
    """Hide or show a product again; search follows either way."""
    changed = moderation.set_hidden_at(Product, pk, hidden)
    hooks.product_changed.send(hooks.ProductChanged(product_id=pk))
    return changed


def _snapshot(product: Product) -> dict[str, Any]:
    return {
        "uuid": str(product.uuid),
        "name": product.name,
        "description": product.description,
        "price": product.price,
        "currency": product.currency,
        "link": product.link,
        "images": [
            image_evidence(link.image) for link in product.product_images.select_related("image")
        ],
        "owner": person_evidence(product.owner),
        "created_at": moderation.iso(product.created_at),
        "updated_at": moderation.iso(product.updated_at),
        "hidden_at": moderation.iso(product.hidden_at),
    }


def register() -> None:
    related = ("owner",)
    moderation.register(
        moderation.ContentKind(
            name="product",
            find_for_viewer=moderation.finder(Product.objects.visible_to, related),
            get=moderation.getter(Product, related),
            author=lambda product: product.owner,
            snapshot=_snapshot,
            ref=lambda product: str(product.uuid),
            set_hidden=product_set_hidden,
        )
    )
