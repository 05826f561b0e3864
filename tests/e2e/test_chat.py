"""Chat in the browser: two users in two contexts, one socket each, live messages and unread."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import SCREENSHOTS, ui_login

pytestmark = pytest.mark.e2e


def test_two_users_chat_live_with_unread_badge(new_page: Any, make_account: Any) -> None:
    alice = make_account("chat_a", display_name="앨리스")
    bob = make_account("chat_b", display_name="밥")

    page_b = new_page()
    ui_login(page_b, bob)
    page_b.goto("/chat")
    expect(page_b.get_by_test_id("room-list")).to_be_visible()
    expect(page_b.get_by_text("아직 대화가 없어요", exact=False)).to_be_visible()

    page_a = new_page()
    ui_login(page_a, alice)
    page_a.goto(f"/u/{bob.handle}")
    page_a.get_by_test_id("message-button").click()
    page_a.wait_for_url(re.compile(r"/chat/[0-9a-f-]{36}$"))
    room_uuid = page_a.url.rsplit("/", 1)[1]
    expect(page_a.get_by_test_id("room-title")).to_have_text("밥")

    page_a.get_by_test_id("chat-input").fill("안녕하세요, 밥!")
    page_a.get_by_test_id("chat-input").press("Enter")
    # Acknowledged: the optimistic bubble becomes a stored message with a seq.
    mine = page_a.get_by_test_id("chat-message").filter(has_text="안녕하세요, 밥!")
    expect(mine).to_have_attribute("data-seq", "1")
    expect(page_a.get_by_test_id("pending-message")).to_have_count(0)

    # Bob never reloaded: the room arrives over his socket with one unread message.
    item_b = page_b.locator(f'[data-testid="room-item"][data-room="{room_uuid}"]')
    expect(item_b).to_be_visible()
    expect(item_b.get_by_test_id("unread-badge")).to_have_text("1")
    expect(item_b.get_by_test_id("room-last-message")).to_contain_text("안녕하세요, 밥!")
    expect(page_b.get_by_test_id("nav-unread")).to_have_text("1")
    page_b.screenshot(path=str(SCREENSHOTS / "e2e-chat-list-ko.png"))

    # A second message while Bob looks at the list: the badge counts it live.
    page_a.get_by_test_id("chat-input").fill("상품 문의 드려요")
    page_a.get_by_test_id("chat-send").click()
    expect(item_b.get_by_test_id("unread-badge")).to_have_text("2")

    item_b.click()
    page_b.wait_for_url(f"**/chat/{room_uuid}")
    expect(page_b.get_by_test_id("chat-message")).to_have_count(2)
    # Viewing marks it read: the badges go away.
    expect(item_b.get_by_test_id("unread-badge")).to_have_count(0)
    expect(page_b.get_by_test_id("nav-unread")).to_have_count(0)

    page_b.get_by_test_id("chat-input").fill("네, 말씀하세요 🙂")
    page_b.get_by_test_id("chat-input").press("Enter")
    reply = page_a.get_by_test_id("chat-message").filter(has_text="네, 말씀하세요")
    expect(reply).to_have_attribute("data-seq", "3")
    # Alice is in the room: Bob's message is read at once, no badge for her.
    item_a = page_a.locator(f'[data-testid="room-item"][data-room="{room_uuid}"]')
    expect(item_a.get_by_test_id("room-last-message")).to_contain_text("네, 말씀하세요")
    expect(item_a.get_by_test_id("unread-badge")).to_have_count(0)
    page_a.screenshot(path=str(SCREENSHOTS / "e2e-chat-room-ko.png"))

    # After a reload the history comes back in order, without duplicates.
    page_b.reload()
    expect(page_b.get_by_test_id("chat-message")).to_have_count(3)
    seqs = page_b.get_by_test_id("chat-message").evaluate_all(
        "els => els.map(e => Number(e.dataset.seq))"
    )
    assert seqs == [1, 2, 3]
