"""Products in the browser: paste a store link, upload an image, see it on the list and profile."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import SCREENSHOTS, Servers, ui_login

pytestmark = pytest.mark.e2e

NAME = "제주 노지 감귤 5kg"
STORE_PAGE = """<!doctype html><html><head><meta charset="utf-8">
<title>감귤 스토어</title>
<script type="application/ld+json">
{"@context": "https://schema.org", "@type": "Product", "name": "제주 노지 감귤 5kg",
 "offers": {"@type": "Offer", "price": "15000", "priceCurrency": "KRW"}}
</script></head><body>store</body></html>"""


class _Store(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = STORE_PAGE.encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def store_url() -> Iterator[str]:
    """An outside store page with schema.org Product JSON-LD, on 127.0.0.1."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Store)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/items/gyul-5kg"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture
def photo(tmp_path: Path) -> Path:
    """A real 1200x900 JPEG (an orange gradient)."""
    y, x = np.mgrid[0:900, 0:1200]
    img = np.zeros((900, 1200, 3), dtype=np.uint8)
    img[..., 0] = 30
    img[..., 1] = (120 + x * 100 // 1200).astype(np.uint8)
    img[..., 2] = (200 + y * 55 // 900).astype(np.uint8)
    path = tmp_path / "gyul.jpg"
    assert cv2.imwrite(str(path), img)
    return path


def test_create_product_with_preview_and_image(
    servers: Servers, new_page: Any, make_account: Any, store_url: str, photo: Path
) -> None:
    seller = make_account("seller", display_name="감귤상회")
    page = new_page()
    ui_login(page, seller)
    page.goto("/products/new")

    # Paste a store link: the name and price come from the page's JSON-LD.
    page.get_by_label("판매처 링크").fill(store_url)
    page.get_by_test_id("preview-button").click()
    expect(page.get_by_label("상품명")).to_have_value("제주 노지 감귤 5kg")
    expect(page.get_by_label("가격")).to_have_value("15,000")

    # A file of the wrong type is refused before any upload.
    page.get_by_test_id("image-input").set_input_files(
        files=[{"name": "notes.txt", "mimeType": "text/plain", "buffer": b"hello"}]
    )
    expect(page.get_by_text("JPEG, PNG, WebP 파일만 올릴 수 있어요.")).to_be_visible()

    # A real photo: grant, upload with progress, processing, then a thumbnail from the variants.
    page.get_by_test_id("image-input").set_input_files(str(photo))
    thumb = page.get_by_test_id("image-strip").locator("img")
    expect(thumb).to_have_count(1, timeout=60_000)
    assert "/media/" in (thumb.get_attribute("src") or "")
    page.get_by_label("설명").fill("올해 수확한 노지 감귤입니다. Sweet tangerines.")
    page.get_by_role("button", name="저장").click()
    page.wait_for_url("**/products/*")
    expect(page.get_by_test_id("product-name")).to_have_text("제주 노지 감귤 5kg")
    expect(page.get_by_test_id("product-price")).to_contain_text("15,000")
    link = page.get_by_test_id("product-link")
    # The store button goes through the click-out counter, which sends the buyer on to the
    # store's own page with utm_source added.
    expect(link).to_have_attribute("href", re.compile(r"^/api/products/[0-9a-f-]+/out/$"))
    out = page.request.get(link.get_attribute("href") or "", max_redirects=0)
    assert out.status == 302
    assert out.headers["location"] == f"{store_url}?utm_source=tangerine"
    expect(link).to_have_attribute("target", "_blank")
    expect(link).to_have_attribute("rel", "noopener noreferrer")
    image = page.locator("main picture img").first
    expect(image).to_have_attribute("srcset", lambda_has_widths())
    # The image really loads through the proxy.
    page.wait_for_function(
        "() => { const i = document.querySelector('main picture img');"
        " return i && i.complete && i.naturalWidth > 0; }"
    )
    page.screenshot(path=SCREENSHOTS / "e2e-product.png", full_page=True)

    # On the product list and on the seller's profile.
    page.goto("/products")
    # Other tests of the session add products too: this one is the card named exactly NAME.
    mine = page.get_by_test_id("product-card").filter(has=page.get_by_text(NAME, exact=True))
    expect(mine).to_be_visible()
    page.screenshot(path=SCREENSHOTS / "e2e-products.png", full_page=True)
    page.goto(f"/u/{seller.handle}")
    page.get_by_role("tab", name="판매 상품").click()
    # Other tests of the session add products too: this one is the card named exactly NAME.
    mine = page.get_by_test_id("product-card").filter(has=page.get_by_text(NAME, exact=True))
    expect(mine).to_be_visible()


def lambda_has_widths() -> Any:
    """A srcset with at least two width descriptors (the 320 px and 1080 px variants)."""
    import re

    return re.compile(r"\d+w,.*\d+w")
