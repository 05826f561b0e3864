"""Every page at phone, tablet and desktop widths, in Korean and English.

One parametrised test per (width, language) walks every page as a logged-in user (staff, so the
moderation pages are included) and as a visitor, and asserts on each page:

- no horizontal overflow (``document.documentElement.scrollWidth <= innerWidth``);
- no wrapped button text (a text node inside a button, tab or navigation link that spans lines:
  "검색" on two lines, "댓글 달기" one syllable per line);
- the header controls (language switch, bell, log out; sign-up for visitors) inside the viewport,
  and at 1280 px the search box a real box, not a circle.

Screenshots of every page land in ``var/e2e-artifacts/layout/`` (not committed; ``E2E_ARTIFACTS``
overrides), named ``<page>-<width>-<lang>.png``.
"""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import (
    ROOT,
    Servers,
    make_staff,
    register_account,
    ui_login,
)
from tests.e2e.helpers import IN_VIEWPORT, LAYOUT_PROBLEMS, browser_context, choose_language

pytestmark = pytest.mark.e2e

ARTIFACTS = Path(os.environ.get("E2E_ARTIFACTS", ROOT / "var" / "e2e-artifacts")) / "layout"


@pytest.fixture(scope="module")
def world(servers: Servers) -> Iterator[dict[str, Any]]:
    """Alice (staff) and Bob, a post with a comment and a reply, a product, a chat room."""

    alice = register_account(servers, "lay_a", "앨리스 김")
    bob = register_account(servers, "lay_b", "밥")
    make_staff(servers, alice.handle)
    with servers.api(alice.access) as a, servers.api(bob.access) as b:
        post = a.post(
            "/api/posts/p/",
            json={
                "title": "제주 감귤 수확 일기: 올해는 유난히 달아요",
                "text": "아침 일찍 밭에 나가 감귤을 땄습니다. " * 6,
                "category": "daily",
                "status": "published",
            },
        )
        assert post.status_code == 201, post.text
        post_uuid = post.json()["uuid"]
        for i in range(3):
            extra = a.post(
                "/api/posts/p/",
                json={"title": f"감귤 이야기 {i}", "text": "달콤한 하루", "status": "published"},
            )
            assert extra.status_code == 201, extra.text
        comment = b.post("/api/comments/", json={"post": post_uuid, "text": "맛있겠어요!"})
        assert comment.status_code == 201, comment.text
        reply = b.post(
            f"/api/comments/{comment.json()['uuid']}/replies/", json={"text": "저도 사고 싶어요"}
        )
        assert reply.status_code == 201, reply.text
        product = a.post(
            "/api/products/",
            json={
                "name": "서귀포 한라봉 3kg 선물 상자 (산지 직송, 못난이 섞임)",
                "description": "새콤달콤",
                "price": 25000,
                "currency": "KRW",
                "link": "https://shop.example.com/tangerine",
            },
        )
        assert product.status_code == 201, product.text
        b.post("/api/follows/", json={"handle": alice.handle})
        room = a.post("/api/chats/rooms/", json={"members": [bob.handle]})
        assert room.status_code in (200, 201), room.text
    room_uuid = room.json()["uuid"]
    _send_chat(
        servers,
        bob.access,
        room_uuid,
        [
            "안녕하세요! 감귤 아직 있나요?",
            "https://shop.example.com/a/very/long/link/" + "x" * 60,
        ],
    )
    _send_chat(
        servers,
        alice.access,
        room_uuid,
        ["네 있어요. 내일 보내드릴게요 " * 3, "아주긴한단어" * 12],
    )
    yield {
        "alice": alice,
        "bob": bob,
        "post": post_uuid,
        "product": product.json()["uuid"],
        "room": room_uuid,
    }


def _send_chat(servers: Servers, access: str, room: str, texts: list[str]) -> None:
    """Messages over the real socket (there is no HTTP send)."""
    import json

    from websockets.sync.client import connect
    from websockets.typing import Origin

    with httpx.Client(base_url=servers.api_url, timeout=20) as client:
        ticket = client.post(
            "/api/chats/ws-ticket/", headers={"Authorization": f"Bearer {access}"}
        ).json()["ticket"]
    ws_url = servers.api_url.replace("http", "ws") + f"/ws/chat/?ticket={ticket}"
    with connect(ws_url, open_timeout=10, origin=Origin(servers.base_url)) as ws:
        for i, text in enumerate(texts):
            frame = {"type": "message.send", "room": room, "text": text, "client_id": f"c{i}"}
            ws.send(json.dumps(frame))
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline:
                answer = json.loads(ws.recv(timeout=10))
                if answer.get("type") == "message.ack":
                    break


def _check_page(page: Any, name: str, width: int, lang: str, *, logged_in: bool) -> list[str]:
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(150)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}-{width}-{lang}.png"), full_page=True)
    problems = [f"{name}: {p}" for p in page.evaluate(LAYOUT_PROBLEMS)]
    header = page.locator("header").first
    required = ["language-switch"]
    if logged_in:
        required += ["nav-notifications", "nav-more", "logout"]
    else:
        required += ["nav-signup"]
    for testid in required:
        loc = header.get_by_test_id(testid)
        if loc.count() == 0 or not loc.first.is_visible() or not loc.first.evaluate(IN_VIEWPORT):
            problems.append(f"{name}: header control {testid} not visible in the viewport")
    if width >= 1280:
        search = header.get_by_test_id("header-search")
        box = search.bounding_box() if search.count() else None
        if not box or box["width"] < 160:
            problems.append(f"{name}: header search box too small: {box}")
    return problems


@pytest.mark.parametrize("lang", ["ko", "en"])
@pytest.mark.parametrize("width", [390, 800, 1280])
def test_every_page_fits(
    servers: Servers, browser: Any, world: dict[str, Any], width: int, lang: str
) -> None:
    alice, bob = world["alice"], world["bob"]
    context = browser_context(browser, servers, width, lang)
    problems: list[str] = []
    try:
        page = context.new_page()

        # Visitors.
        page.goto("/")
        choose_language(page, lang)
        visitor_pages = {
            "visitor-home": "/",
            "login": "/login",
            "signup": "/signup",
            "reset-password": "/reset-password",
            "visitor-products": "/products",
            "visitor-post": f"/posts/{world['post']}",
            "not-found-post": f"/posts/{uuid.uuid4()}",
            "not-found-route": "/no/such/page",
        }
        for name, path in visitor_pages.items():
            page.goto(path)
            problems += _check_page(page, name, width, lang, logged_in=False)

        # Alice (staff).
        page.evaluate("localStorage.removeItem('tangerine-locale')")
        account = alice
        ui_login(page, account)
        choose_language(page, lang)
        pages = {
            "home": "/",
            "search": "/search?q=감귤",
            "search-posts": "/search?q=감귤&type=post",
            "products": "/products",
            "product": f"/products/{world['product']}",
            "post": f"/posts/{world['post']}",
            "post-new": "/posts/new",
            "product-new": "/products/new",
            "profile-own": f"/u/{alice.handle}",
            "profile-other": f"/u/{bob.handle}",
            "followers": f"/u/{alice.handle}/followers",
            "chat": "/chat",
            "chat-room": f"/chat/{world['room']}",
            "notifications": "/notifications",
            "reports-mine": "/reports/mine",
            "settings-profile": "/settings/profile",
            "settings-password": "/settings/password",
            "settings-account": "/settings/account",
            "staff-reports": "/staff/reports",
            "staff-stats": "/staff/stats",
        }
        for name, path in pages.items():
            page.goto(path)
            if name == "chat-room":
                expect(page.get_by_test_id("chat-message").first).to_be_visible()
            problems += _check_page(page, name, width, lang, logged_in=True)
            if name == "chat-room":
                problems += _check_chat_room(page, width)
    finally:
        context.close()
    assert problems == [], "\n".join(problems)


def _check_chat_room(page: Any, width: int) -> list[str]:
    """Send, leave and my own bubbles inside the room's card; focusing the input moves nothing."""
    problems = []
    card = page.get_by_test_id("chat-room").bounding_box()
    assert card
    right = min(card["x"] + card["width"], width)
    for what, loc in {
        "send": page.get_by_test_id("chat-send"),
        "leave": page.get_by_test_id("chat-leave"),
        "own bubble": page.locator('[data-testid="chat-message"][data-mine="true"] p').first,
    }.items():
        box = loc.bounding_box() if loc.count() else None
        if not box or box["x"] < card["x"] - 0.5 or box["x"] + box["width"] > right + 0.5:
            problems.append(f"chat-room: {what} outside the card {card}: {box}")
    if width < 600:
        # Touch screens have no hover: the report button on others' messages is visible.
        report = page.locator('[data-testid="chat-message"][data-mine="false"]').first
        opacity = report.get_by_test_id("report-button").evaluate(
            "el => getComputedStyle(el).opacity"
        )
        if float(opacity) < 1:
            problems.append(f"chat-room: report button hidden on touch (opacity {opacity})")
    before = page.evaluate("[scrollX, document.documentElement.scrollLeft]")
    page.get_by_test_id("chat-input").focus()
    page.wait_for_timeout(200)
    after = page.evaluate("[scrollX, document.documentElement.scrollLeft]")
    if before != after or after != [0, 0]:
        problems.append(f"chat-room: focusing the input scrolled the page {before} -> {after}")
    return problems


def test_phone_navigation(servers: Servers, browser: Any, world: dict[str, Any]) -> None:
    """At 390 px: sign-up for visitors, the unread-chat count in the bottom bar, "my reports"
    from the header menu, recommendations as one swipeable row."""
    context = browser.new_context(
        base_url=servers.base_url,
        locale="ko-KR",
        viewport={"width": 390, "height": 844},
        has_touch=True,
        is_mobile=True,
    )
    context.set_default_timeout(15_000)
    try:
        page = context.new_page()
        page.goto("/")
        expect(page.get_by_test_id("nav-signup")).to_be_visible()
        page.get_by_test_id("nav-signup").click()
        page.wait_for_url("**/signup")

        bob = world["bob"]
        ui_login(page, bob)
        # Alice's two messages are unread for Bob: the bottom bar says so.
        unread = page.get_by_test_id("mobile-nav-unread")
        expect(unread).to_be_visible()
        expect(unread).to_have_text("2")

        page.get_by_test_id("nav-more").click()
        page.get_by_test_id("menu-my-reports").click()
        page.wait_for_url("**/reports/mine")

        page.goto("/")
        strip = page.get_by_test_id("recommended-list")
        if strip.count():
            # One row that scrolls sideways inside itself, not five tall cards.
            box = strip.bounding_box()
            assert box and box["height"] < 200, box
            assert strip.evaluate("el => getComputedStyle(el).overflowX") == "auto"
            assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")
    finally:
        context.close()
