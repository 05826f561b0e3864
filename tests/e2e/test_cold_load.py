"""Cold loads in Chromium: each page in a fresh browser context (empty cache), the time to the
first contentful paint and to the page's own content. The numbers are written to
``var/e2e-artifacts/cold-load.json`` (``E2E_ARTIFACTS``) and printed, with the load average; the
test asserts only that the content arrives (timings on a shared machine are not a pass/fail
signal).

``content_ms`` is measured in the page: a MutationObserver installed before the document starts
notes ``performance.now()`` (milliseconds since the navigation started) when the page's own
content first matches its selector, whether it came in the server's HTML or was rendered later by
the browser. ``wall_ms`` is the test's own clock from ``goto`` until Playwright saw it.

The member's pages run with the session in localStorage and the ``member`` cookie the web app sets
for a signed-in browser (lib/locale.ts); ``home-visitor``, ``products`` and ``profile`` run as a
visitor."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import ROOT, Servers

pytestmark = pytest.mark.e2e

ARTIFACTS = Path(os.environ.get("E2E_ARTIFACTS", ROOT / "var" / "e2e-artifacts"))

# Notes when the selector first matches: during HTML parsing for server-rendered content.
WATCH = """(selector => {
  const seen = () => {
    if (window.__contentAt === undefined && document.querySelector(selector)) {
      window.__contentAt = performance.now();
    }
  };
  new MutationObserver(seen).observe(document, {childList: true, subtree: true});
})(%s);"""

FCP = """() => new Promise(resolve => {
  const e = performance.getEntriesByName('first-contentful-paint')[0];
  if (e) return resolve(e.startTime);
  new PerformanceObserver(list => resolve(list.getEntries()[0].startTime))
    .observe({type: 'paint', buffered: true});
})"""


def test_cold_load_times(servers: Servers, browser: Any, make_account: Any) -> None:
    seller = make_account("cold_a", display_name="감귤상회")
    buyer = make_account("cold_b")
    with servers.api(seller.access) as client:
        post = client.post(
            "/api/posts/p/",
            json={"title": "콜드 로드 글", "text": "첫 화면", "status": "published"},
        ).json()["uuid"]
        product = client.post(
            "/api/products/",
            json={
                "name": "콜드 로드 상품",
                "price": 12000,
                "currency": "KRW",
                "link": "https://shop.example.com/p",
            },
        ).json()["uuid"]
        room = client.post("/api/chats/rooms/", json={"members": [buyer.handle]}).json()["uuid"]
        me = client.get("/api/accounts/me/").json()
    session = json.dumps(
        {"state": {"access": seller.access, "refresh": seller.refresh, "user": me}, "version": 0}
    )
    # name: (path, selector of the page's own content, signed in)
    pages = {
        "home": ("/", '[data-testid="post-card"]', True),
        "post": (f"/posts/{post}", '[data-testid="post-title"]', True),
        "product": (f"/products/{product}", '[data-testid="product-name"]', True),
        "search": ("/search?q=%EC%BD%9C%EB%93%9C", "main ul li", True),
        "chat": (f"/chat/{room}", '[data-testid="chat-room"]', True),
        "home-visitor": ("/", '[data-testid="post-card"]', False),
        "products": ("/products", '[data-testid="product-card"]', False),
        "profile": (f"/u/{seller.handle}", '[data-testid="profile-name"]', False),
    }
    load_before = os.getloadavg()
    results: dict[str, Any] = {}
    for name, (path, selector, signed_in) in pages.items():
        context = browser.new_context(base_url=servers.base_url, locale="ko-KR")
        context.add_init_script(WATCH % json.dumps(selector))
        if signed_in:
            context.add_init_script(
                f"localStorage.setItem('tangerine-auth', {json.dumps(session)});"
            )
            context.add_cookies([{"name": "member", "value": "1", "url": servers.base_url}])
        try:
            page = context.new_page()
            start = time.monotonic()
            page.goto(path)
            page.wait_for_selector(selector, timeout=30_000)
            wall_ms = (time.monotonic() - start) * 1000
            page.wait_for_function("window.__contentAt !== undefined", timeout=5_000)
            content_ms = page.evaluate("window.__contentAt")
            results[name] = {
                "fcp_ms": round(page.evaluate(FCP)),
                "content_ms": round(content_ms),
                "wall_ms": round(wall_ms),
            }
        finally:
            context.close()
    results["load_average"] = {"before": load_before, "after": os.getloadavg()}
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "cold-load.json").write_text(json.dumps(results, indent=2))
    print(json.dumps(results, indent=2))
    assert set(results) == {*pages, "load_average"}
