"""The marketplace in Chromium at phone, tablet and desktop widths, in Korean and English.

A buyer filters the product list (the filter bar keeps its state in the URL), sees sale-status
badges, saves a product with the heart on a card and on the product page (the save survives a
reload), and on phones finds price, heart, "스토어에서 보기" and the chat button in a sticky bar
above the tab bar. The seller opens the insights page (totals, four daily line charts, top
products) for all products and for one. Every page is checked for sideways scrolling and wrapped
button text with the layout test's checks.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import Servers, register_account
from tests.e2e.helpers import IN_VIEWPORT, browser_context, layout_problems, login_in

pytestmark = pytest.mark.e2e

# A price band no other e2e test uses, so the filtered list holds only this module's products.
LOW, HIGH = 777_000, 777_999
STATUS_TEXT = {
    "ko": {"reserved": "예약중", "sold_out": "판매완료"},
    "en": {"reserved": "Reserved", "sold_out": "Sold out"},
}


@pytest.fixture(scope="module")
def market(servers: Servers) -> Iterator[dict[str, Any]]:
    """A seller with three plants (on sale, reserved, sold out) and some views and click-outs."""
    seller = register_account(servers, "mkt_s", "화분 가게")
    viewer = register_account(servers, "mkt_v", "구경꾼")
    products: dict[str, str] = {}
    with servers.api(seller.access) as api:
        for i, status in enumerate(("sold_out", "reserved", "on_sale")):
            res = api.post(
                "/api/products/",
                json={
                    "name": f"몬스테라 델리시오사 대형 화분 {status}",
                    "price": LOW + 1 + i,
                    "link": f"https://plants.example.com/p/{i}",
                    "category": "plants",
                    "status": status,
                },
            )
            assert res.status_code == 201, res.text
            products[status] = res.json()["uuid"]
    with servers.api(viewer.access) as api:
        for uuid in products.values():
            assert api.get(f"/api/products/{uuid}/").status_code == 200
        out = api.get(f"/api/products/{products['on_sale']}/out/")
        assert out.status_code == 302
        assert out.headers["location"].endswith("utm_source=tangerine")
    yield {"seller": seller, "products": products}


@pytest.mark.parametrize("lang", ["ko", "en"])
@pytest.mark.parametrize("width", [390, 800, 1280])
def test_marketplace_pages(
    servers: Servers,
    browser: Any,
    market: dict[str, Any],
    make_account: Any,
    width: int,
    lang: str,
) -> None:
    products = market["products"]
    buyer = make_account("mkt_b", "구매자")
    problems: list[str] = []
    context = browser_context(browser, servers, width, lang)
    try:
        page = context.new_page()
        login_in(page, buyer, lang)

        # The filter bar: state from the URL, and changes written back to it.
        page.goto(f"/products?category=plants&min_price={LOW}&max_price={HIGH}")
        bar = page.get_by_test_id("filter-bar")
        expect(bar).to_be_visible()
        expect(page.get_by_test_id("filter-category")).to_have_value("plants")
        expect(page.get_by_test_id("filter-min")).to_have_value(str(LOW))
        cards = page.get_by_test_id("product-card")
        expect(cards).to_have_count(3)
        # On sale first, then reserved, then sold out; badges on the last two.
        badges = page.get_by_test_id("status-badge")
        expect(badges).to_have_count(2)
        expect(badges.nth(0)).to_have_text(STATUS_TEXT[lang]["reserved"])
        expect(badges.nth(1)).to_have_text(STATUS_TEXT[lang]["sold_out"])
        problems += layout_problems(page, "products-filtered", screenshots="marketplace")

        page.get_by_test_id("filter-status").select_option("reserved")
        page.wait_for_url(re.compile(r"status=reserved"))
        assert "category=plants" in page.url
        expect(cards).to_have_count(1)
        page.get_by_test_id("filter-sort").select_option("price_desc")
        page.wait_for_url(re.compile(r"sort=price_desc"))
        # A reload keeps the filters (the URL is the state).
        page.reload()
        expect(page.get_by_test_id("filter-status")).to_have_value("reserved")
        expect(page.get_by_test_id("filter-sort")).to_have_value("price_desc")
        expect(cards).to_have_count(1)
        # A bad range is caught before the API is asked.
        page.get_by_test_id("filter-min").fill("5000")
        page.get_by_test_id("filter-max").fill("100")
        page.get_by_test_id("filter-apply").click()
        expect(page.get_by_test_id("filter-error")).to_be_visible()
        page.get_by_test_id("filter-reset").click()
        page.wait_for_url(re.compile(r"/products$"))

        # The heart on a card saves without opening the product.
        page.goto(f"/products?category=plants&min_price={LOW}&max_price={HIGH}&status=reserved")
        heart = cards.first.get_by_test_id("save-button")
        expect(heart).to_have_attribute("aria-pressed", "false")
        # The heart turns at once; the save is stored when its POST answers (a full page load
        # right after the click, as page.goto below does, would abort it).
        with page.expect_response(lambda r: r.url.endswith("/save/") and r.ok):
            heart.click()
        expect(heart).to_have_attribute("aria-pressed", "true")
        assert re.search(r"/products\?", page.url), page.url  # still on the list

        # The product page: status badge, heart (saved state survives a reload), store button.
        page.goto(f"/products/{products['on_sale']}")
        expect(page.get_by_test_id("product-name")).to_be_visible()
        detail_heart = page.get_by_test_id("save-button").first
        if width < 768:
            bottom = page.get_by_test_id("product-bottom-bar")
            expect(bottom).to_be_visible()
            detail_heart = bottom.get_by_test_id("save-button")
            store = page.get_by_test_id("bottom-bar-store")
            expect(page.get_by_test_id("chat-with-seller")).to_have_count(2)
        else:
            expect(page.get_by_test_id("product-bottom-bar")).to_be_hidden()
            store = page.get_by_test_id("product-link")
        assert store.get_attribute("href") == f"/api/products/{products['on_sale']}/out/"
        expect(store).to_be_visible()
        expect(detail_heart).to_have_attribute("aria-pressed", "false")
        detail_heart.click()
        expect(detail_heart).to_have_attribute("aria-pressed", "true")
        page.wait_for_load_state("networkidle")
        page.reload()
        expect(page.get_by_test_id("save-button").first).to_have_attribute("aria-pressed", "true")
        if width < 768:
            bar = page.get_by_test_id("product-bottom-bar")
            controls = ("save-button", "bottom-bar-price", "bottom-bar-store", "chat-with-seller")
            for testid in controls:
                loc = bar.get_by_test_id(testid)
                if not loc.evaluate(IN_VIEWPORT):
                    problems.append(f"product bottom bar: {testid} outside the viewport")
            # The bar sits above the tab bar, not under it.
            bar_box = bar.bounding_box()
            nav_box = page.locator('nav[aria-label="mobile"]').bounding_box()
            assert bar_box and nav_box
            if bar_box["y"] + bar_box["height"] > nav_box["y"] + 1:
                problems.append(f"bottom bar {bar_box} overlaps the tab bar {nav_box}")
        problems += layout_problems(page, "product-detail", screenshots="marketplace")

        page.goto("/products/saved")
        expect(page.get_by_test_id("product-card")).to_have_count(2)
        problems += layout_problems(page, "products-saved", screenshots="marketplace")
    finally:
        context.close()

    # The seller's insights.
    context = browser_context(browser, servers, width, lang)
    try:
        page = context.new_page()
        login_in(page, market["seller"], lang)
        page.goto("/products")
        page.get_by_test_id("insights-link").click()
        page.wait_for_url(re.compile(r"/insights$"))
        expect(page.get_by_test_id("insights-totals")).to_be_visible()
        assert int(page.get_by_test_id("total-views").inner_text()) >= 3
        assert int(page.get_by_test_id("total-clicks").inner_text()) >= 1
        for field in ("views", "click_outs", "saves", "chats"):
            expect(page.get_by_test_id(f"chart-{field}").locator("svg")).to_be_visible()
        expect(page.get_by_test_id("top-products")).to_contain_text("몬스테라")
        problems += layout_problems(page, "insights", screenshots="marketplace")
        page.get_by_test_id("range-7").click()
        page.wait_for_url(re.compile(r"days=7"))
        expect(page.get_by_test_id("insights-totals")).to_be_visible()
        page.goto(f"/insights?product={products['on_sale']}")
        expect(page.get_by_test_id("insights-product-name")).to_contain_text("몬스테라")
        assert int(page.get_by_test_id("total-clicks").inner_text()) == 1
        problems += layout_problems(page, "insights-product", screenshots="marketplace")
        # The owner's product page: the one-tap status switch and the way to its insights.
        page.goto(f"/products/{products['on_sale']}")
        expect(page.get_by_test_id("status-switch")).to_be_visible()
        expect(page.get_by_test_id("product-insights-link")).to_be_visible()
        problems += layout_problems(page, "product-own", screenshots="marketplace")
    finally:
        context.close()
    assert problems == [], "\n".join(problems)
