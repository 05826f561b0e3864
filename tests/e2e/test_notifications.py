"""Notifications in the browser: a live bell, the list, read state; blocking from a profile."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import SCREENSHOTS, Servers, ui_login

pytestmark = pytest.mark.e2e


def test_live_bell_list_mark_read_then_block(
    servers: Servers, new_page: Any, make_account: Any
) -> None:
    alice = make_account("nt_alice", display_name="앨리스")
    bob = make_account("nt_bob", display_name="Bob 밥")
    with servers.api(alice.access) as client:
        res = client.post(
            "/api/posts/p/",
            json={
                "title": "제주 감귤 첫 수확",
                "text": "달아요",
                "category": "",
                "status": "published",
            },
        )
    assert res.status_code == 201, res.text
    post = res.json()["uuid"]

    # Alice sits on the home page with her socket open and nothing unread.
    page_a = new_page()
    ui_login(page_a, alice)
    page_a.goto("/")
    bell = page_a.get_by_test_id("nav-notifications")
    expect(bell).to_have_attribute("data-socket", "open")
    count = page_a.get_by_test_id("notification-count")
    expect(count).to_have_attribute("data-count", "0")
    expect(count).to_be_hidden()

    # Bob, in another browser context, follows her and likes her post.
    page_b = new_page()
    ui_login(page_b, bob)
    page_b.goto(f"/u/{alice.handle}")
    # The button changes optimistically: wait for the API before navigating away.
    with page_b.expect_response(
        lambda r: r.url.endswith("/api/follows/") and r.request.method == "POST"
    ) as followed:
        page_b.get_by_test_id("follow-button").click()
    assert followed.value.status == 201, followed.value.status
    expect(page_b.get_by_test_id("follow-button")).to_have_text("언팔로우")
    page_b.goto(f"/posts/{post}")
    page_b.get_by_test_id("post-like").click()
    expect(page_b.get_by_test_id("post-like")).to_have_attribute("aria-pressed", "true")

    # Alice's bell rises live, without a reload.
    expect(count).to_have_attribute("data-count", "2")
    expect(count).to_have_text("2")
    assert page_a.url.rstrip("/") == servers.base_url

    # The list: newest first, in Korean, with links to the post and to Bob's profile.
    bell.click()
    page_a.wait_for_url("**/notifications")
    items = page_a.get_by_test_id("notification")
    expect(items).to_have_count(2)
    expect(items.nth(0)).to_have_attribute("data-kind", "post_like")
    expect(items.nth(0)).to_contain_text(f"@{bob.handle}님이 회원님의 게시글을 좋아합니다")
    expect(items.nth(0)).to_contain_text("제주 감귤 첫 수확")
    expect(items.nth(0).get_by_role("link")).to_have_attribute("href", f"/posts/{post}")
    expect(items.nth(1)).to_have_attribute("data-kind", "follow")
    expect(items.nth(1)).to_contain_text(f"@{bob.handle}님이 회원님을 팔로우했습니다")
    expect(items.nth(1).get_by_role("link")).to_have_attribute("href", f"/u/{bob.handle}")
    page_a.screenshot(path=SCREENSHOTS / "e2e-notifications-ko.png", full_page=True)

    # A live notification while the list is open goes on top (Bob comments).
    page_b.get_by_test_id("comment-form").get_by_role("textbox").fill("맛있겠네요")
    page_b.get_by_test_id("comment-form").get_by_role("button").click()
    expect(items).to_have_count(3)
    expect(items.nth(0)).to_have_attribute("data-kind", "comment")
    expect(count).to_have_text("3")

    # Opening one marks it read (on the server too: the count survives a reload).
    items.nth(2).click()
    page_a.wait_for_url(f"**/u/{bob.handle}")
    expect(count).to_have_text("2")
    page_a.goto("/notifications")
    expect(items.nth(2)).to_have_attribute("data-read", "true")
    expect(items.nth(0)).to_have_attribute("data-read", "false")
    expect(count).to_have_text("2")

    # Mark all read: the count goes to 0 and stays there after a reload.
    # The list turns read at once; the server has it when the POST answers (the reload below
    # would abort a request still in flight).
    with page_a.expect_response(lambda r: "/api/notifications/read/" in r.url and r.ok):
        page_a.get_by_test_id("mark-all-read").click()
    expect(count).to_have_attribute("data-count", "0")
    expect(items.nth(0)).to_have_attribute("data-read", "true")
    page_a.reload()
    expect(items).to_have_count(3)
    expect(count).to_have_attribute("data-count", "0")
    expect(page_a.get_by_test_id("mark-all-read")).to_be_disabled()

    # English once.
    page_a.get_by_test_id("language-switch").click()
    expect(items.nth(2)).to_contain_text(f"@{bob.handle} followed you")
    expect(items.nth(1)).to_contain_text(f"@{bob.handle} liked your post")
    page_a.screenshot(path=SCREENSHOTS / "e2e-notifications-en.png", full_page=True)
    page_a.get_by_test_id("language-switch").click()

    # Alice blocks Bob from his profile: the follow ends, and Bob loses her post.
    page_a.goto(f"/u/{alice.handle}")
    expect(page_a.get_by_test_id("follower-count")).to_have_text("1")
    page_a.goto(f"/u/{bob.handle}")
    page_a.once("dialog", lambda d: d.accept())
    page_a.get_by_test_id("profile-menu").click()
    page_a.screenshot(path=SCREENSHOTS / "e2e-profile-menu-ko.png")
    page_a.get_by_test_id("block-toggle").click()
    expect(page_a.get_by_text("차단한 사용자입니다.")).to_be_visible()
    page_a.get_by_test_id("profile-menu").click()
    expect(page_a.get_by_test_id("block-toggle")).to_have_text("차단 해제")
    page_a.keyboard.press("Escape")
    page_a.goto(f"/u/{alice.handle}")
    expect(page_a.get_by_test_id("follower-count")).to_have_text("0")
    with servers.api(alice.access) as client:
        followers = client.get(f"/api/follows/{alice.handle}/followers/").json()["results"]
    assert followers == []

    page_b.goto(f"/posts/{post}")
    expect(page_b.get_by_text("찾을 수 없습니다.")).to_be_visible()
    expect(page_b.get_by_test_id("post-title")).to_have_count(0)
    # Bob's notifications to Alice are gone from her list too (blocked users are left out).
    page_a.goto("/notifications")
    expect(page_a.get_by_text("아직 알림이 없어요.")).to_be_visible()
