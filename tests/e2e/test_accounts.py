"""Accounts in the browser: sign up, log out, log in, edit the profile in Korean, see it."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import PASSWORD, SCREENSHOTS, Servers, ui_login, unique_handle

pytestmark = pytest.mark.e2e


def test_signup_login_edit_profile_logout(servers: Servers, new_page: Any) -> None:
    page = new_page()
    handle = unique_handle("gyul")
    email = f"{handle}@example.com"

    # Sign up: lands on the new profile, logged in.
    page.goto("/signup")
    page.get_by_label("이메일", exact=True).fill(email)
    page.get_by_label("아이디 (handle)").fill(handle)
    page.get_by_label("이름", exact=True).fill("Gyul")
    page.get_by_label("비밀번호", exact=True).fill(PASSWORD)
    page.get_by_label("비밀번호 확인").fill(PASSWORD)
    page.get_by_role("button", name="가입하기").click()
    page.wait_for_url(f"**/u/{handle}")
    expect(page.get_by_test_id("profile-name")).to_have_text("Gyul")

    # Log out, then log in again with the same credentials.
    page.get_by_test_id("logout").click()
    page.wait_for_url("**/login?loggedOut=1")
    expect(page.get_by_text("로그아웃했습니다.")).to_be_visible()
    page.goto("/login")
    page.get_by_label("이메일", exact=True).fill(email)
    page.get_by_label("비밀번호", exact=True).fill("wrong-password-123")
    page.get_by_role("button", name="로그인").click()
    expect(page.get_by_role("alert").first).to_be_visible()
    page.get_by_label("비밀번호", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="로그인").click()
    page.wait_for_url(lambda url: "/login" not in url)

    # Edit the profile with Korean text; a javascript: link is refused next to the field.
    page.goto("/settings/profile")
    page.get_by_label("이름", exact=True).fill("김감귤")
    page.get_by_label("소개").fill("제주에서 귤을 팝니다. Tangerines from Jeju 🍊")
    page.get_by_label("링크 1").fill("javascript:alert(1)")
    page.get_by_role("button", name="저장").click()
    expect(page.locator("[data-field-error]").first).to_contain_text("http://")
    page.get_by_label("링크 1").fill("https://shop.example.com/gyul")
    page.get_by_role("button", name="저장").click()
    page.wait_for_url(f"**/u/{handle}")
    expect(page.get_by_test_id("profile-name")).to_have_text("김감귤")
    expect(page.get_by_test_id("profile-bio")).to_contain_text("제주에서 귤을 팝니다")
    link = page.get_by_role("link", name="shop.example.com/gyul")
    expect(link).to_have_attribute("rel", "noopener noreferrer nofollow ugc")

    # A reload keeps the session (persisted store) and shows what the server saved.
    page.reload()
    expect(page.get_by_test_id("profile-name")).to_have_text("김감귤")
    page.screenshot(path=SCREENSHOTS / "e2e-profile-ko.png", full_page=True)

    # English UI, same user content.
    page.get_by_test_id("language-switch").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    expect(page.get_by_test_id("profile-name")).to_have_text("김감귤")
    page.screenshot(path=SCREENSHOTS / "e2e-profile-en.png", full_page=True)
    page.get_by_test_id("language-switch").click()

    page.get_by_test_id("logout").click()
    page.wait_for_url("**/login?loggedOut=1")
    # Logged out: the edit page sends visitors to the login page.
    page.goto("/settings/profile")
    page.wait_for_url("**/login?next=*")


def test_api_field_errors_show_next_to_fields(
    servers: Servers, new_page: Any, make_account: Any
) -> None:
    taken = make_account("taken")
    page = new_page()
    page.goto("/signup")
    page.get_by_label("이메일", exact=True).fill(taken.email)
    page.get_by_label("아이디 (handle)").fill(taken.handle)
    page.get_by_label("비밀번호", exact=True).fill(PASSWORD)
    page.get_by_label("비밀번호 확인").fill(PASSWORD)
    page.get_by_role("button", name="가입하기").click()
    errors = page.locator("[data-field-error]")
    expect(errors.first).to_be_visible()
    assert page.url.endswith("/signup")


def test_expired_access_token_is_refreshed_once(
    servers: Servers, new_page: Any, make_account: Any
) -> None:
    account = make_account("refresh", display_name="Refresh")
    page = new_page()
    ui_login(page, account)
    # Let the app finish its own writes to the store (it persists the session after /me/).
    page.wait_for_load_state("networkidle")
    # Break the stored access token: the next API calls get 401 and must refresh (once) and retry.
    page.evaluate(
        """() => {
          const raw = JSON.parse(localStorage.getItem('tangerine-auth'));
          raw.state.access = 'broken.' + raw.state.access;
          localStorage.setItem('tangerine-auth', JSON.stringify(raw));
        }"""
    )
    refreshes: list[str] = []
    page.on("request", lambda r: refreshes.append(r.url) if "token/refresh" in r.url else None)
    page.goto("/settings/profile")
    expect(page.get_by_label("이름", exact=True)).to_have_value("Refresh")
    page.get_by_label("소개").fill("refreshed")
    page.get_by_role("button", name="저장").click()
    page.wait_for_url(f"**/u/{account.handle}")
    expect(page.get_by_test_id("profile-bio")).to_have_text("refreshed")
    assert len(refreshes) == 1, refreshes
