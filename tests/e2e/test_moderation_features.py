"""Moderation that tells people, in Chromium at phone and desktop widths, in Korean and English.

A post is reported and hidden by staff (over the API); its author opens the appeal page the
content_hidden notification links to, sees what was hidden and why, and appeals once (the page
then shows the appeal in review, and the form is gone). Staff open the appeals tab, which starts on
pending appeals, overturn the appeal after a confirmation dialog, and the post is visible again.
Hiding from a report's page asks for confirmation too (cancel changes nothing). Every page is
checked for sideways scrolling and wrapped button text with the layout test's checks.
"""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import SCREENSHOTS, Account, Servers, make_staff
from tests.e2e.helpers import browser_context, layout_problems, login_in

pytestmark = pytest.mark.e2e

TEXT = {
    "ko": {
        "reason": "스팸",
        "in_review": "검토 중",
        "restored": "복구됨",
        "exists": "이미 이의 신청을 하셨습니다.",
        "bad_link": "잘못된 링크입니다.",
        "confirm_title": "콘텐츠를 복구할까요?",
        "hide_title": "콘텐츠를 숨길까요?",
        "history": "접수",
    },
    "en": {
        "reason": "Spam",
        "in_review": "In review",
        "restored": "Restored",
        "exists": "You already appealed.",
        "bad_link": "This link is not valid.",
        "confirm_title": "Restore the content?",
        "hide_title": "Hide this content?",
        "history": "Filed",
    },
}


def _login(page: Any, account: Account, lang: str) -> None:
    # The first page of a context can be slow on a loaded machine: wait longer for it once.
    page.goto("/login", timeout=60_000)
    # In the page's language: the server renders English for an en-US browser.
    page.locator("input[type=password]").wait_for(timeout=60_000)
    login_in(page, account, lang)


def _hidden_post(
    servers: Servers, make_account: Any, staff: Account, title: str
) -> tuple[Account, str, str]:
    """A post by a new author, reported and hidden by ``staff``; returns (author, post, report)."""
    author = make_account("md_author", display_name="작성자")
    reporter = make_account("md_reporter")
    with servers.api(author.access) as api:
        res = api.post(
            "/api/posts/p/",
            json={"title": title, "text": "본문 body", "category": "", "status": "published"},
        )
        assert res.status_code == 201, res.text
        post = res.json()["uuid"]
    with servers.api(reporter.access) as api:
        res = api.post(
            "/api/reports/", json={"target_type": "post", "target": post, "reason": "spam"}
        )
        assert res.status_code == 201, res.text
        report = res.json()["uuid"]
    with servers.api(staff.access) as api:
        assert api.patch(f"/api/reports/{report}/", json={"status": "in_review"}).status_code == 200
        res = api.patch(
            f"/api/reports/{report}/",
            json={"status": "resolved", "actions": ["hide_content"], "reason": "광고 도배 ad spam"},
        )
        assert res.status_code == 200, res.text
    return author, post, report


@pytest.mark.parametrize("lang", ["ko", "en"])
@pytest.mark.parametrize("width", [390, 1280])
def test_appeal_form_and_staff_appeals_tab(
    servers: Servers, browser: Any, make_account: Any, width: int, lang: str
) -> None:
    text = TEXT[lang]
    staff = make_account("md_staff", display_name="운영자")
    make_staff(servers, staff.handle)
    title = f"급처 명품 {lang} {width}"
    author, post, report = _hidden_post(servers, make_account, staff, title)
    problems: list[str] = []

    # The author: the notification leads to the appeal form.
    context = browser_context(browser, servers, width, lang)
    try:
        page = context.new_page()
        _login(page, author, lang)
        with servers.api(author.access) as api:
            notes = api.get("/api/notifications/").json()["results"]
        assert any(n["kind"] == "content_hidden" for n in notes), notes
        page.goto(f"/reports/appeal?target_type=post&target={post}")
        hidden = page.get_by_test_id("appeal-hidden")
        expect(hidden.get_by_test_id("appeal-excerpt")).to_contain_text(title)
        expect(hidden.get_by_test_id("appeal-reason")).to_contain_text(text["reason"])
        expect(hidden.get_by_test_id("appeal-reason")).to_contain_text("광고 도배 ad spam")
        problems += layout_problems(page, f"appeal form {lang} {width}", screenshots="moderation")
        page.screenshot(path=str(SCREENSHOTS / f"e2e-appeal-form-{lang}-{width}.png"))
        form = page.get_by_test_id("appeal-form")
        expect(page.get_by_test_id("appeal-submit")).to_be_disabled()
        form.locator("textarea").fill("제가 직접 찍은 사진입니다. My own photo.")
        page.get_by_test_id("appeal-submit").click()
        mine = page.get_by_test_id("appeal-mine")
        expect(mine.get_by_test_id("appeal-status")).to_have_text(text["in_review"])
        expect(page.get_by_test_id("appeal-form")).to_have_count(0)
        # Only once: the API refuses a second appeal (the page no longer offers one).
        with servers.api(author.access) as api:
            again = api.post(
                "/api/reports/appeals/",
                json={"target_type": "post", "target": post, "text": "again"},
            )
        assert again.status_code == 409 and again.json()["code"] == "appeal_exists"
        page.reload()
        expect(page.get_by_test_id("appeal-mine")).to_be_visible()
        page.screenshot(path=str(SCREENSHOTS / f"e2e-appeal-sent-{lang}-{width}.png"))
        # A broken link says so.
        page.goto("/reports/appeal?target_type=user&target=x")
        expect(page.get_by_text(text["bad_link"])).to_be_visible()
    finally:
        context.close()

    # Staff: the appeals tab opens on pending appeals; overturning asks first.
    context = browser_context(browser, servers, width, lang)
    try:
        page = context.new_page()
        _login(page, staff, lang)
        page.goto("/staff/reports")
        page.get_by_test_id("staff-tab-appeals").click()
        page.wait_for_url("**/staff/appeals")
        expect(page.locator('select[name="status"]')).to_have_value("pending")
        row = page.locator(f'[data-testid="appeal-row"][data-target="{post}"]')
        expect(row.get_by_test_id("appeal-excerpt")).to_contain_text(title)
        expect(row.get_by_test_id("appeal-text")).to_contain_text("My own photo.")
        problems += layout_problems(page, f"staff appeals {lang} {width}", screenshots="moderation")
        page.screenshot(path=str(SCREENSHOTS / f"e2e-staff-appeals-{lang}-{width}.png"))
        row.get_by_test_id("appeal-overturn").click()
        dialog = page.get_by_test_id("confirm-dialog")
        expect(dialog).to_contain_text(text["confirm_title"])
        dialog.get_by_test_id("confirm-cancel").click()
        expect(page.get_by_test_id("confirm-dialog")).to_have_count(0)
        row.get_by_test_id("appeal-overturn").click()
        page.get_by_test_id("confirm-ok").click()
        # Decided: it leaves the pending list; under "all" it shows as restored.
        expect(row).to_have_count(0)
        page.locator('select[name="status"]').select_option("")
        expect(row.get_by_test_id("appeal-status")).to_have_text(text["restored"])
        with servers.api(author.access) as api:
            assert api.get(f"/api/posts/p/{post}/").status_code == 200  # visible again
            notes = api.get("/api/notifications/").json()["results"]
        assert any(n["kind"] == "appeal_resolved" for n in notes), notes

        # The report's page: history in words; hiding asks first, and cancel changes nothing.
        page.goto(f"/staff/reports/{report}")
        expect(page.get_by_test_id("history")).to_contain_text(text["history"])
        expect(page.get_by_test_id("history")).not_to_contain_text("appeal_overturned")
        expect(page.get_by_test_id("assigned-to")).to_contain_text(f"@{staff.handle}")
        with servers.api(staff.access) as api:
            reopened = api.patch(f"/api/reports/{report}/", json={"status": "in_review"})
            assert reopened.status_code == 200, reopened.text
        page.reload()
        page.get_by_test_id("action-hide").click()
        expect(page.get_by_test_id("confirm-dialog")).to_contain_text(text["hide_title"])
        problems += layout_problems(
            page, f"staff report confirm {lang} {width}", screenshots="moderation"
        )
        page.get_by_test_id("confirm-cancel").click()
        expect(page.get_by_test_id("report-status")).to_have_attribute("data-status", "in_review")
        problems += layout_problems(page, f"staff report {lang} {width}", screenshots="moderation")
    finally:
        context.close()
    assert problems == []
