"""Link previews: what an outside store page says about its product (see fetch and parse)."""

from __future__ import annotations

from typing import Any

from tangerine.products.preview.fetch import PreviewError, fetch_html
from tangerine.products.preview.parse import extract

__all__ = ["PreviewError", "preview_fetch"]


def preview_fetch(*, url: str) -> dict[str, Any]:
    """``{title, price, currency, image, url}`` for a store page, or a ``PreviewError`` (4xx).

    Sources in order: schema.org Product JSON-LD, then OpenGraph, then ``<title>``, field by
    field. ``url`` is the page's address after redirects.
    """
    page = fetch_html(url)
    found = extract(page.text, base_url=page.url)
    if not any(found[field] for field in ("title", "price", "image")):
        raise PreviewError("The page says nothing about a product.", code="no_preview")
    return {**found, "url": page.url}
