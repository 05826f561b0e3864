"""Grouped notifications and notification settings in the browser, phone and desktop, ko and en."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import SCREENSHOTS, Servers, ui_login
from tests.e2e.helpers import choose_language

pytestmark = pytest.mark.e2e


def _use_locale(page: Any, locale: str) -> None:
    choose_language(page, locale)
    page.reload()


def test_four_likes_read_as_one_line_and_settings_switch_kinds_off(
    servers: Servers, new_page: Any, make_account: Any
) -> None:
    alice = make_account("ng_alice", display_name="민지네 과수원")
    likers = [make_account(f"ng_liker{i}") for i in range(4)]
    with servers.api(alice.access) as client:
        res = client.post(
            "/api/posts/p/",
            json={"title": "한라봉 수확", "text": "달아요", "category": "", "status": "published"},
        )
    assert res.status_code == 201, res.text
    post = res.json()["uuid"]
    for liker in likers:
        with servers.api(liker.access) as client:
            liked = client.post("/api/likes/post-likes/", json={"post": post})
        assert liked.status_code in (200, 201), liked.text
    newest = likers[-1].handle

    for width, height in ((390, 844), (1280, 900)):
        page = new_page(width=width, height=height)
        try:
            ui_login(page, alice)
        except Exception:
            page.screenshot(path=SCREENSHOTS / f"e2e-notifications-grouped-login-{width}.png")
            raise
        page.goto("/notifications")
        items = page.get_by_test_id("notification")
        expect(items).to_have_count(1)
        line = items.nth(0)
        expect(line).to_have_attribute("data-kind", "post_like")
        expect(line).to_have_attribute("data-count", "4")
        expect(line).to_contain_text(f"@{newest}님 외 3명이 회원님의 글을 좋아합니다")
        expect(line).to_contain_text("한라봉 수확")
        expect(page.get_by_test_id("notification-avatars")).to_be_visible()
        page.screenshot(path=SCREENSHOTS / f"e2e-notifications-grouped-ko-{width}.png")

        _use_locale(page, "en")
        expect(line).to_contain_text(f"@{newest} and 3 others liked your post")
        page.screenshot(path=SCREENSHOTS / f"e2e-notifications-grouped-en-{width}.png")

        # Settings: one switch per kind; moderation notices are locked on.
        page.get_by_test_id("notification-settings-link").click()
        page.wait_for_url("**/settings/notifications")
        expect(page.get_by_text("Notification settings").first).to_be_visible()
        switch = page.get_by_test_id("pref-post_like")
        expect(switch).to_have_attribute("aria-checked", "true")
        expect(page.get_by_test_id("pref-warning")).to_be_disabled()
        page.screenshot(path=SCREENSHOTS / f"e2e-notification-settings-en-{width}.png")
        with page.expect_response(
            lambda r: (
                r.url.endswith("/api/notifications/preferences/") and r.request.method == "PATCH"
            )
        ) as saved:
            switch.click()
        assert saved.value.status == 200, saved.value.status
        expect(switch).to_have_attribute("aria-checked", "false")

        _use_locale(page, "ko")
        expect(page.get_by_text("게시글 좋아요")).to_be_visible()
        expect(page.get_by_text("운영 알림은 끌 수 없어요").first).to_be_visible()
        expect(page.get_by_test_id("pref-post_like")).to_have_attribute("aria-checked", "false")
        page.screenshot(path=SCREENSHOTS / f"e2e-notification-settings-ko-{width}.png")
        with servers.api(alice.access) as client:
            assert client.get("/api/notifications/preferences/").json()["post_like"] is False
        # Turn it back on for the next width.
        page.get_by_test_id("pref-post_like").click()
        expect(page.get_by_test_id("pref-post_like")).to_have_attribute("aria-checked", "true")
        with servers.api(alice.access) as client:
            assert client.get("/api/notifications/preferences/").json()["post_like"] is True


def test_one_more_follower_reads_in_the_singular(
    servers: Servers, new_page: Any, make_account: Any
) -> None:
    """ "and 1 other", not "and 1 others"; Korean has one form ("외 1명")."""
    owner = make_account("ng_owner", display_name="한라봉 농장")
    fans = [make_account(f"ng_fan{i}") for i in range(2)]
    for fan in fans:
        with servers.api(fan.access) as client:
            followed = client.post("/api/follows/", json={"handle": owner.handle})
        assert followed.status_code in (200, 201), followed.text
    newest = fans[-1].handle

    page = new_page(width=800, height=900)
    ui_login(page, owner)
    page.goto("/notifications")
    line = page.get_by_test_id("notification").nth(0)
    expect(line).to_have_attribute("data-kind", "follow")
    expect(line).to_contain_text(f"@{newest}님 외 1명이 회원님을 팔로우했습니다")
    _use_locale(page, "en")
    expect(line).to_contain_text(f"@{newest} and 1 other followed you")
    expect(line).not_to_contain_text("others")
    page.screenshot(path=SCREENSHOTS / "e2e-notifications-one-other-en-800.png")
