"""Google sign-in in the browser: the button, Google (the local fake), back with a session."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import Servers
from tests.e2e.helpers import LAYOUT_PROBLEMS, choose_language

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize(
    ("locale", "width", "button", "lang"),
    [("ko-KR", 390, "Google로 계속하기", "ko"), ("en-US", 1280, "Continue with Google", "en")],
)
def test_google_sign_in_round_trip(
    servers: Servers, new_page: Any, locale: str, width: int, button: str, lang: str
) -> None:
    assert servers.google is not None
    handle_hint = uuid.uuid4().hex[:8]
    servers.google.next_identity = {
        "sub": f"e2e-{handle_hint}",
        "email": f"g{handle_hint}@gmail.com",
        "name": "구글 사용자",
    }
    page = new_page(locale=locale, width=width)
    page.goto("/login")
    choose_language(page, lang)
    page.goto("/login?next=/products")
    google = page.get_by_role("button", name=button)
    expect(google).to_be_visible()
    assert page.evaluate(LAYOUT_PROBLEMS) == []
    google.click()
    # The fake Google signs in at once and sends the browser back with a code and the state.
    page.wait_for_url("**/products")
    asked = servers.google.auth_requests[-1]
    assert asked["code_challenge_method"] == "S256"
    assert asked["redirect_uri"] == f"{servers.base_url}/login/google"
    session = page.evaluate("JSON.parse(localStorage.getItem('tangerine-auth'))")
    assert session["state"]["user"]["email"] == f"g{handle_hint}@gmail.com"
    assert session["state"]["access"]


def test_a_callback_without_its_state_is_refused_in_korean(new_page: Any) -> None:
    page = new_page(locale="ko-KR", width=390)
    page.goto("/login/google?code=stolen-code&state=not-mine")
    problem = page.get_by_test_id("google-problem")
    expect(problem).to_contain_text("Google 로그인을 마치지 못했습니다")
    expect(page.get_by_role("link", name="로그인 화면으로")).to_be_visible()
    page.goto("/login/google?error=access_denied&state=x")
    expect(page.get_by_test_id("google-problem")).to_contain_text("취소")
