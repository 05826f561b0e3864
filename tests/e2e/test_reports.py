"""Reports in the browser: a user reports a post, staff hide it, it disappears, the reporter sees
the outcome."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import SCREENSHOTS, Servers, make_staff, ui_login

pytestmark = pytest.mark.e2e


def test_report_hide_and_outcome(servers: Servers, new_page: Any, make_account: Any) -> None:
    author = make_account("rp_author", display_name="판매자")
    reporter = make_account("rp_reporter")
    other = make_account("rp_other")
    staff = make_account("rp_staff", display_name="운영자")
    make_staff(servers, staff.handle)
    with servers.api(author.access) as client:
        res = client.post(
            "/api/posts/p/",
            json={
                "title": "가짜 명품 가방 급처",
                "text": "정품 아님 주의, 선입금만 받아요",
                "category": "",
                "status": "published",
            },
        )
    assert res.status_code == 201, res.text
    post = res.json()["uuid"]

    # The other user can read the post before moderation.
    page_o = new_page()
    ui_login(page_o, other)
    page_o.goto(f"/posts/{post}")
    expect(page_o.get_by_test_id("post-title")).to_have_text("가짜 명품 가방 급처")

    page_r = new_page()
    ui_login(page_r, reporter)
    page_r.goto(f"/posts/{post}")
    page_r.get_by_test_id("report-button").first.click()
    dialog = page_r.get_by_test_id("report-dialog")
    dialog.get_by_label("위조품").check()
    dialog.get_by_label("설명 (선택)").fill("위조품 판매 의심")
    page_r.screenshot(path=str(SCREENSHOTS / "e2e-report-dialog-ko.png"))
    dialog.get_by_role("button", name="신고하기").click()
    expect(dialog.get_by_text("신고가 접수되었습니다.")).to_be_visible()
    dialog.get_by_role("button", name="닫기").click()
    # A second report of the same post while the first is open is refused, visibly.
    page_r.get_by_test_id("report-button").first.click()
    page_r.get_by_test_id("report-dialog").get_by_role("button", name="신고하기").click()
    expect(page_r.get_by_text("이미 처리 중인 신고가 있습니다.")).to_be_visible()

    page_r.goto("/reports/mine")
    mine = page_r.locator(f'[data-testid="my-report"][data-target="{post}"]')
    expect(mine.get_by_test_id("report-status")).to_have_text("접수됨")

    # Non-staff do not get the dashboard link; staff do.
    expect(page_r.get_by_test_id("nav-staff")).to_have_count(0)
    page_s = new_page()
    ui_login(page_s, staff)
    # The moderation link lives in the header's "⋯" menu.
    page_s.get_by_test_id("nav-more").click()
    page_s.get_by_test_id("nav-staff").click()
    page_s.wait_for_url("**/staff/reports")
    page_s.get_by_label("상태").select_option("pending")
    row = page_s.locator(f'[data-testid="queue-row"][data-target="{post}"]')
    expect(row).to_be_visible()
    page_s.screenshot(path=str(SCREENSHOTS / "e2e-staff-queue-ko.png"))
    row.get_by_test_id("queue-open").click()
    expect(page_s.get_by_test_id("evidence")).to_contain_text("정품 아님 주의")
    expect(page_s.get_by_test_id("live-target")).to_contain_text("가짜 명품 가방 급처")
    page_s.get_by_role("button", name="검토 시작").click()
    expect(page_s.get_by_test_id("report-status")).to_have_text("검토 중")
    page_s.get_by_label("처리 사유 (기록에 남습니다)").fill("위조품 판매")
    page_s.get_by_role("button", name="숨김 처리").click()
    page_s.get_by_test_id("confirm-ok").click()  # hide asks for confirmation
    expect(page_s.get_by_test_id("report-status")).to_have_text("처리 완료")
    expect(page_s.get_by_test_id("live-target-hidden")).to_be_visible()
    expect(page_s.get_by_test_id("history")).to_contain_text("위조품 판매")
    page_s.get_by_label("메모 추가").fill("반복 신고 계정, 지켜볼 것")
    page_s.get_by_role("button", name="메모 추가").click()
    expect(page_s.get_by_test_id("notes")).to_contain_text("반복 신고 계정")
    page_s.screenshot(path=str(SCREENSHOTS / "e2e-staff-report-ko.png"), full_page=True)

    page_s.goto("/staff/stats")
    expect(page_s.get_by_test_id("chart-reason")).to_be_visible()
    expect(page_s.get_by_test_id("chart-day")).to_be_visible()
    page_s.screenshot(path=str(SCREENSHOTS / "e2e-staff-stats-ko.png"), full_page=True)

    # The post is gone for the other user.
    page_o.reload()
    expect(page_o.get_by_text("찾을 수 없습니다.")).to_be_visible()
    expect(page_o.get_by_test_id("post-title")).to_have_count(0)

    # The reporter sees the outcome.
    page_r.reload()
    expect(mine.get_by_test_id("report-status")).to_have_text("처리 완료")
    expect(mine.get_by_test_id("my-report-outcome")).to_contain_text("콘텐츠 숨김")
    page_r.screenshot(path=str(SCREENSHOTS / "e2e-my-reports-ko.png"))
