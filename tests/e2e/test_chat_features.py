"""Chat features in Chromium, two browser contexts (buyer and seller), at phone and desktop
widths, in Korean and English: "채팅하기" on a product opens the product room with its card;
typing shows on the other side; the unread "1" beside a message disappears live when the other
reads it; runs of one sender are grouped under a date separator; deleting a message for
everyone leaves a placeholder on the other side; a photo goes through the upload pipeline and
opens full size; the navigation counts unread messages; a chat is started by searching a name.
Every chat page is checked for sideways scrolling and wrapped buttons (the layout test's check).
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import ROOT, Account, Servers, ui_login
from tests.e2e.helpers import LAYOUT_PROBLEMS, browser_context, choose_language

pytestmark = pytest.mark.e2e

ARTIFACTS = Path(os.environ.get("E2E_ARTIFACTS", ROOT / "var" / "e2e-artifacts")) / "chat-features"

TEXT = {
    "ko": {"typing": "입력 중", "deleted": "삭제된 메시지입니다.", "status": "판매중"},
    "en": {"typing": "is typing", "deleted": "This message was deleted.", "status": "On sale"},
}


def _jpeg() -> bytes:
    img = np.zeros((300, 400, 3), dtype=np.uint8)
    img[:, :200] = (30, 120, 250)
    img[:, 200:] = (40, 200, 90)
    ok, data = cv2.imencode(".jpg", img)
    assert ok
    return bytes(data.tobytes())


def _page(browser: Any, servers: Servers, width: int, lang: str) -> Any:
    return browser_context(browser, servers, width, lang).new_page()


def _login(page: Any, account: Account, lang: str) -> None:
    try:
        ui_login(page, account)
    except Exception:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"login-failed-{account.handle}.png"))
        raise
    choose_language(page, lang)


def _layout(page: Any, name: str) -> list[str]:
    page.wait_for_timeout(150)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    width = page.viewport_size["width"]
    lang = page.evaluate("document.documentElement.lang") or "x"
    page.screenshot(path=str(ARTIFACTS / f"{name}-{width}-{lang}.png"))
    return [f"{name}: {p}" for p in page.evaluate(LAYOUT_PROBLEMS)]


def _product(servers: Servers, seller: Account, name: str) -> str:
    with servers.api(seller.access) as api:
        res = api.post(
            "/api/products/",
            json={
                "name": name,
                "price": 23000,
                "link": "https://shop.example.com/p/chat-e2e",
                "category": "plants",
            },
        )
    assert res.status_code == 201, res.text
    return str(res.json()["uuid"])


@pytest.mark.parametrize(("width", "lang"), [(390, "ko"), (1280, "en")])
def test_product_chat_with_receipts_typing_delete_and_photos(
    servers: Servers, browser: Any, make_account: Any, width: int, lang: str
) -> None:
    seller = make_account("cf_s", display_name="귤 농장")
    buyer = make_account("cf_b", display_name="민지")
    product = _product(servers, seller, f"한라봉 선물 세트 {width}")
    text = TEXT[lang]
    problems: list[str] = []
    buyer_page = _page(browser, servers, width, lang)
    seller_page = _page(browser, servers, width, lang)
    try:
        _login(buyer_page, buyer, lang)
        _login(seller_page, seller, lang)

        # The buyer taps "채팅하기"/"Chat" on the product page: the product room opens.
        buyer_page.goto(f"/products/{product}")
        buyer_page.locator('[data-testid="chat-with-seller"]:visible').first.click()
        buyer_page.wait_for_url(re.compile(r"/chat/[0-9a-f-]{36}$"))
        room = buyer_page.url.rsplit("/", 1)[1]
        card = buyer_page.get_by_test_id("chat-product-card")
        expect(card).to_contain_text(f"한라봉 선물 세트 {width}")
        expect(card.get_by_test_id("chat-product-status")).to_have_text(text["status"])
        expect(buyer_page.get_by_test_id("room-title")).to_have_text("귤 농장")

        # Opening it again reuses the room.
        buyer_page.goto(f"/products/{product}")
        buyer_page.locator('[data-testid="chat-with-seller"]:visible').first.click()
        buyer_page.wait_for_url(f"**/chat/{room}")

        # The seller is elsewhere: the buyer's message counts as unread in the navigation.
        seller_page.goto("/")
        # Let the seller's page finish loading (its ticket fetch and socket) before the message.
        seller_page.wait_for_load_state("networkidle")
        buyer_page.get_by_test_id("chat-input").fill("안녕하세요, 아직 있나요?")
        buyer_page.get_by_test_id("chat-input").press("Enter")
        mine = buyer_page.get_by_test_id("chat-message").filter(has_text="아직 있나요")
        expect(mine).to_have_attribute("data-mine", "true")
        expect(mine.get_by_test_id("unread-count")).to_have_text("1")
        badge = "mobile-nav-unread" if width < 768 else "nav-unread"
        expect(seller_page.get_by_test_id(badge)).to_have_text("1", timeout=20_000)

        # The seller opens the room (reads it): the buyer's "1" disappears live.
        seller_page.goto(f"/chat/{room}")
        expect(seller_page.get_by_test_id("chat-product-card")).to_be_visible()
        expect(seller_page.get_by_test_id("chat-message")).to_have_count(1)
        expect(mine.get_by_test_id("unread-count")).to_have_count(0)
        expect(seller_page.get_by_test_id(badge)).to_have_count(0)

        # Typing on one side shows on the other, then goes away.
        seller_page.get_by_test_id("chat-input").fill("네")
        indicator = buyer_page.get_by_test_id("typing-indicator")
        expect(indicator).to_contain_text("귤 농장")
        expect(indicator).to_contain_text(text["typing"])
        expect(indicator).to_have_count(0, timeout=12_000)
        seller_page.get_by_test_id("chat-input").fill("네, 있어요!")
        seller_page.get_by_test_id("chat-send").click()
        expect(buyer_page.get_by_test_id("chat-message")).to_have_count(2)

        # Two messages in a row from the buyer: one run, one name, under one date separator.
        buyer_page.get_by_test_id("chat-input").fill("잘못 보낸 메시지")
        buyer_page.get_by_test_id("chat-input").press("Enter")
        buyer_page.get_by_test_id("chat-input").fill("택배 되나요?")
        buyer_page.get_by_test_id("chat-input").press("Enter")
        messages = seller_page.get_by_test_id("chat-message")
        expect(messages).to_have_count(4)
        assert messages.evaluate_all("els => els.map(e => e.dataset.first)") == [
            "true",
            "true",
            "true",
            "false",
        ]
        expect(seller_page.get_by_test_id("date-separator")).to_have_count(1)
        expect(seller_page.get_by_test_id("chat-sender")).to_have_count(2)

        # The buyer deletes the wrong message for everyone: the seller sees the placeholder.
        wrong = buyer_page.get_by_test_id("chat-message").filter(has_text="잘못 보낸 메시지")
        buyer_page.once("dialog", lambda dialog: dialog.accept())
        wrong.hover()
        wrong.get_by_test_id("chat-delete").click()
        expect(seller_page.get_by_test_id("chat-deleted")).to_have_text(text["deleted"])
        expect(buyer_page.get_by_test_id("chat-deleted")).to_have_text(text["deleted"])
        expect(seller_page.get_by_text("잘못 보낸 메시지")).to_have_count(0)

        # A photo: uploaded, processed, shown as a thumbnail, opened full size.
        buyer_page.get_by_test_id("chat-photo-input").set_input_files(
            files=[{"name": "box.jpg", "mimeType": "image/jpeg", "buffer": _jpeg()}]
        )
        photo = seller_page.get_by_test_id("chat-photo")
        expect(photo).to_have_count(1, timeout=60_000)
        expect(photo.locator("img")).to_be_visible()
        problems += _layout(seller_page, "room-seller")
        problems += _layout(buyer_page, "room-buyer")
        photo.click()
        viewer = seller_page.get_by_test_id("photo-viewer")
        expect(viewer.locator("img")).to_be_visible()
        seller_page.keyboard.press("Escape")
        expect(viewer).to_have_count(0)

        # The room list: the product, a time and an avatar for the room.
        seller_page.goto("/chat")
        item = seller_page.locator(f'[data-testid="room-item"][data-room="{room}"]')
        expect(item.get_by_test_id("room-product")).to_contain_text("한라봉 선물 세트")
        expect(item.get_by_test_id("room-time")).not_to_be_empty()
        expect(item.get_by_test_id("room-avatar")).to_be_visible()
        problems += _layout(seller_page, "room-list")
    finally:
        buyer_page.context.close()
        seller_page.context.close()
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(("width", "lang"), [(390, "en"), (1280, "ko")])
def test_start_a_chat_by_searching_a_name(
    servers: Servers, browser: Any, make_account: Any, width: int, lang: str
) -> None:
    me = make_account("cf_me")
    friend = make_account("cf_fr", display_name=f"검색친구{width}")
    page = _page(browser, servers, width, lang)
    try:
        _login(page, me, lang)
        page.goto("/chat")
        page.get_by_test_id("new-room-picker-input").fill(f"검색친구{width}")
        suggestion = page.get_by_test_id("user-suggestion").filter(has_text=f"@{friend.handle}")
        expect(suggestion).to_be_visible()
        suggestion.click()
        expect(page.get_by_test_id("picked-user")).to_have_count(1)
        page.get_by_test_id("new-room-start").click()
        page.wait_for_url(re.compile(r"/chat/[0-9a-f-]{36}$"))
        expect(page.get_by_test_id("room-title")).to_have_text(f"검색친구{width}")
        # Nobody is found for a name that exists nowhere.
        if width >= 768:
            page.get_by_test_id("new-room-picker-input").fill("zz-nobody-zz")
            expect(page.get_by_test_id("user-suggestion")).to_have_count(0)
    finally:
        page.context.close()
