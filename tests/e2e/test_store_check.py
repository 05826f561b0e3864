"""Store-link checks in the browser: a buyer sees the quiet badge, the seller takes the fix."""

from __future__ import annotations

import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import ROOT, Servers, ui_login
from tests.e2e.helpers import LAYOUT_PROBLEMS, choose_language

pytestmark = pytest.mark.e2e

STORE_PAGE = (
    '<html><head><script type="application/ld+json">{"@type": "Product", "name": "한라봉 3kg",'
    ' "offers": {"@type": "Offer", "price": "13000", "priceCurrency": "KRW",'
    ' "availability": "https://schema.org/InStock"}}</script></head><body></body></html>'
).encode()


class _Store(BaseHTTPRequestHandler):
    def log_message(self, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        body = STORE_PAGE if self.path == "/hallabong" else b""
        self.send_response(200 if body else 404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def store() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Store)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_badge_for_buyers_and_the_one_tap_price_fix_for_the_seller(
    servers: Servers, new_page: Any, make_account: Any, store: str
) -> None:
    seller = make_account("seller")
    buyer = make_account("buyer")
    with servers.api(seller.access) as api:
        created = api.post(
            "/api/products/",
            json={"name": "한라봉 3kg", "price": 12000, "link": f"{store}/hallabong"},
        )
    assert created.status_code == 201, created.text
    uuid = created.json()["uuid"]
    check = subprocess.run(  # noqa: S603 (fixed command)
        [sys.executable, "manage.py", "check_store_links", "--product", uuid],
        cwd=ROOT,
        env=servers.env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert check.returncode == 0, check.stderr[-2000:]
    assert "issues: price" in check.stdout

    # A buyer (English, desktop) sees the quiet badge, not the fix.
    page = new_page(locale="en-US", width=1280)
    ui_login(page, buyer)
    choose_language(page, "en")
    page.goto(f"/products/{uuid}")
    expect(page.get_by_test_id("store-check-badge")).to_have_text("Check the store's price")
    expect(page.get_by_test_id("store-check-fix")).to_have_count(0)
    assert page.evaluate(LAYOUT_PROBLEMS) == []

    # The seller (Korean, phone) takes the store's price in one tap; the badge goes away.
    page = new_page(locale="ko-KR", width=390)
    ui_login(page, seller)
    page.goto(f"/products/{uuid}")
    fix = page.get_by_test_id("store-check-fix")
    expect(fix).to_contain_text("스토어 가격이 ₩13,000입니다.")
    assert page.evaluate(LAYOUT_PROBLEMS) == []
    fix.get_by_role("button", name="₩13,000로 바꾸기").click()
    expect(page.get_by_test_id("store-check-fix")).to_have_count(0)
    expect(page.get_by_test_id("store-check-badge")).to_have_count(0)
    with servers.api(seller.access) as api:
        assert api.get(f"/api/products/{uuid}/").json()["price"] == 13000
