"""What a store page says about its product: schema.org JSON-LD, OpenGraph, then <title>."""

from __future__ import annotations

import html as html_lib
import json
import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urljoin, urlsplit

from tangerine.products.models import (
    CURRENCY_EXPONENTS,
    LINK_MAX_LENGTH,
    NAME_MAX_LENGTH,
    PRICE_MAX,
)

_MAX_JSONLD_BLOCKS = 20
_MAX_DEPTH = 12


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.meta: dict[str, str] = {}
        self.jsonld: list[str] = []
        self.title: str | None = None
        self._in_title = False
        self._in_jsonld = False
        self._buffer: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {k.lower(): v or "" for k, v in attrs}
        if tag == "meta":
            name = (attributes.get("property") or attributes.get("name") or "").strip().lower()
            if name and "content" in attributes and name not in self.meta:
                self.meta[name] = attributes["content"].strip()
        elif tag == "title" and self.title is None:
            self._in_title, self._buffer = True, []
        elif tag == "script" and attributes.get("type", "").strip().lower() == (
            "application/ld+json"
        ):
            self._in_jsonld, self._buffer = True, []

    def handle_endtag(self, tag: str) -> None:
        if tag == "title" and self._in_title:
            self.title = "".join(self._buffer)
            self._in_title = False
        elif tag == "script" and self._in_jsonld:
            if len(self.jsonld) < _MAX_JSONLD_BLOCKS:
                self.jsonld.append("".join(self._buffer))
            self._in_jsonld = False

    def handle_data(self, data: str) -> None:
        if self._in_title or self._in_jsonld:
            self._buffer.append(data)


def _clean_text(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    text = re.sub(r"\s+", " ", value).strip()
    return text[:NAME_MAX_LENGTH] or None


def _clean_url(value: Any, base_url: str) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("url") or value.get("contentUrl")
    if not isinstance(value, str) or not value.strip():
        return None
    absolute = urljoin(base_url, value.strip())
    parts = urlsplit(absolute)
    if (
        parts.scheme not in {"http", "https"}
        or not parts.hostname
        or len(absolute) > LINK_MAX_LENGTH
    ):
        return None
    return absolute


def to_minor_units(amount: Any, currency: Any) -> tuple[int | None, str | None]:
    """("12,900", "KRW") → (12900, "KRW"); ("19.99", "usd") → (1999, "USD"); unknown → Nones."""
    if not isinstance(currency, str) or currency.strip().upper() not in CURRENCY_EXPONENTS:
        return None, None
    code = currency.strip().upper()
    if isinstance(amount, (int, float)) and not isinstance(amount, bool):
        text = str(amount)
    elif isinstance(amount, str):
        # "12,900", "₩12,900", "12,900원", "$19.99": a plain decimal once the dressing is gone.
        text = re.sub(r"[\s,₩$€¥£원]", "", amount)
        if not re.fullmatch(r"\d+(\.\d+)?", text):
            return None, None
    else:
        return None, None
    # More integer digits than PRICE_MAX has cannot be a price; 30 digits also overflowed the
    # decimal context's 28-digit precision (InvalidOperation, a 500) when quantized below.
    if len(text.partition(".")[0].lstrip("0")) > len(str(PRICE_MAX)):
        return None, None
    try:
        value = Decimal(text)
        minor = int((value * 10 ** CURRENCY_EXPONENTS[code]).quantize(Decimal(1), ROUND_HALF_UP))
    except (InvalidOperation, ValueError, OverflowError):
        return None, None
    if not value.is_finite() or value < 0 or minor > PRICE_MAX:
        return None, None
    return minor, code


def _types(node: dict[str, Any]) -> list[str]:
    kind = node.get("@type")
    kinds = kind if isinstance(kind, list) else [kind]
    return [str(k).rsplit("/", 1)[-1] for k in kinds if k]


def _find_product(node: Any, depth: int = 0) -> dict[str, Any] | None:
    if depth > _MAX_DEPTH:
        return None
    if isinstance(node, list):
        for item in node:
            found = _find_product(item, depth + 1)
            if found:
                return found
    elif isinstance(node, dict):
        if "Product" in _types(node) or "ProductGroup" in _types(node):
            return node
        for key in ("@graph", "mainEntity", "itemListElement", "item"):
            if key in node:
                found = _find_product(node[key], depth + 1)
                if found:
                    return found
    return None


def _offer_price(offers: Any) -> tuple[int | None, str | None]:
    for offer in offers if isinstance(offers, list) else [offers]:
        if not isinstance(offer, dict):
            continue
        spec = offer.get("priceSpecification")
        spec = spec[0] if isinstance(spec, list) and spec else spec
        spec = spec if isinstance(spec, dict) else {}
        amount = next(
            (
                v
                for v in (offer.get("price"), offer.get("lowPrice"), spec.get("price"))
                if v is not None
            ),
            None,
        )
        currency = offer.get("priceCurrency") or spec.get("priceCurrency")
        price, code = to_minor_units(amount, currency)
        if price is not None:
            return price, code
    return None, None


# schema.org ItemAvailability names and Open Graph ``product:availability`` values.
_IN_STOCK = {
    "instock",
    "in stock",
    "limitedavailability",
    "onlineonly",
    "instoreonly",
    "preorder",
    "presale",
    "backorder",
    "available for order",
}
_OUT_OF_STOCK = {"outofstock", "out of stock", "oos", "soldout", "discontinued"}


def availability_of(value: Any) -> str | None:
    """ "https://schema.org/InStock" → "in_stock"; "oos" → "out_of_stock"; unknown → None."""
    if not isinstance(value, str):
        return None
    word = value.strip().rsplit("/", 1)[-1].strip().lower()
    if word in _IN_STOCK:
        return "in_stock"
    if word in _OUT_OF_STOCK:
        return "out_of_stock"
    return None


def _offer_availability(offers: Any) -> str | None:
    for offer in offers if isinstance(offers, list) else [offers]:
        if isinstance(offer, dict) and (found := availability_of(offer.get("availability"))):
            return found
    return None


def extract(html: str, *, base_url: str) -> dict[str, Any]:
    """``{title, price, currency, image, availability}`` from the page, ``None`` when not found.

    ``availability`` is ``"in_stock"`` or ``"out_of_stock"`` (schema.org ``Offer.availability``
    or Open Graph ``product:availability``).
    """
    collector = _Collector()
    try:
        collector.feed(html)
        collector.close()
    except (AssertionError, ValueError):  # HTMLParser on badly broken markup
        pass
    result: dict[str, Any] = {
        "title": None,
        "price": None,
        "currency": None,
        "image": None,
        "availability": None,
    }

    for block in collector.jsonld:
        try:
            data = json.loads(block, strict=False)
        except (ValueError, RecursionError):  # deep nesting ([[[[...) exhausts the recursion limit
            continue
        product = _find_product(data)
        if product is None:
            continue
        name = product.get("name")
        # Script bodies are raw text, yet many shops HTML-escape their JSON-LD anyway.
        result["title"] = _clean_text(html_lib.unescape(name) if isinstance(name, str) else None)
        result["image"] = _clean_url(product.get("image"), base_url)
        result["price"], result["currency"] = _offer_price(product.get("offers"))
        result["availability"] = _offer_availability(product.get("offers"))
        break

    meta = collector.meta
    if result["title"] is None:
        result["title"] = _clean_text(meta.get("og:title"))
    if result["image"] is None:
        result["image"] = _clean_url(
            meta.get("og:image:secure_url") or meta.get("og:image"), base_url
        )
    if result["price"] is None:
        amount = meta.get("product:price:amount") or meta.get("og:price:amount")
        currency = meta.get("product:price:currency") or meta.get("og:price:currency")
        result["price"], result["currency"] = to_minor_units(amount, currency)
    if result["availability"] is None:
        result["availability"] = availability_of(
            meta.get("product:availability") or meta.get("og:availability")
        )
    if result["title"] is None:
        result["title"] = _clean_text(collector.title)
    return result
