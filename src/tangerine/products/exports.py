"""The products part of "download my data"."""

from __future__ import annotations

from typing import Any

from tangerine.core import exports
from tangerine.products.models import Product


def export_products(user: Any) -> list[dict[str, Any]]:
    rows = (
        Product.objects.filter(owner=user)
        .prefetch_related("product_images__image")
        .order_by("created_at", "id")
    )
    return [
        {
            "uuid": str(product.uuid),
            "name": product.name,
            "description": product.description,
            "price": product.price,
            "currency": product.currency,
            "link": product.link,
            "images": [str(pi.image.uuid) for pi in product.product_images.all()],
            "like_count": product.like_count,
            "view_count": product.view_count,
            "hidden": product.hidden_at is not None,
            "created_at": product.created_at.isoformat(),
            "updated_at": product.updated_at.isoformat(),
        }
        for product in rows
    ]


exports.register(name="products", exporter=export_products)
