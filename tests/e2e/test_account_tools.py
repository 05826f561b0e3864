"""Account tools in the browser: download my data, delete my account, mute, inline comment edits."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import SCREENSHOTS, Servers, ui_login

pytestmark = pytest.mark.e2e


def test_download_data_then_delete_account(
    servers: Servers, new_page: Any, make_account: Any
) -> None:
    user = make_account("acc_leaver", display_name="떠나는 사람")
    page = new_page()
    ui_login(page, user)
    page.goto("/settings/profile")
    page.get_by_test_id("settings-account").click()
    page.wait_for_url("**/settings/account")

    # The archive is fetched with the token and saved through a Blob link.
    with page.expect_download() as info:
        page.get_by_test_id("export-data").click()
    download = info.value
    assert download.suggested_filename.startswith(f"tangerine-{user.handle}-")
    assert download.suggested_filename.endswith(".json")
    data = json.loads(Path(download.path()).read_text(encoding="utf-8"))
    assert user.handle in json.dumps(data, ensure_ascii=False)
    page.screenshot(path=SCREENSHOTS / "e2e-settings-account-ko.png", full_page=True)

    # The confirmation wants the handle typed out.
    page.get_by_test_id("delete-account").click()
    dialog = page.get_by_test_id("delete-dialog")
    confirm = dialog.get_by_test_id("delete-confirm")
    expect(confirm).to_be_disabled()
    field = dialog.get_by_label(f"확인을 위해 아이디 {user.handle}을(를) 입력하세요")
    field.fill(user.handle + "x")
    expect(confirm).to_be_disabled()
    field.fill(user.handle)
    expect(confirm).to_be_disabled()  # the current password is asked for too
    dialog.get_by_label("현재 비밀번호").fill("not my password")
    expect(confirm).to_be_enabled()
    page.screenshot(path=SCREENSHOTS / "e2e-delete-dialog-ko.png")
    dialog.get_by_role("button", name="취소").click()
    expect(dialog).to_have_count(0)
    with servers.api(user.access) as client:
        assert client.get("/api/accounts/me/").status_code == 200

    # English once, then delete for real.
    page.get_by_test_id("language-switch").click()
    page.get_by_test_id("delete-account").click()
    page.screenshot(path=SCREENSHOTS / "e2e-delete-dialog-en.png")
    dialog.get_by_label(f"Type your handle {user.handle} to confirm").fill(user.handle)
    dialog.get_by_label("Current password").fill("not my password")
    confirm.click()
    expect(dialog.get_by_role("alert")).to_be_visible()  # a wrong password deletes nothing
    with servers.api(user.access) as client:
        assert client.get("/api/accounts/me/").status_code == 200
    dialog.get_by_label("Current password").fill(user.password)
    confirm.click()
    page.wait_for_url(lambda url: url.rstrip("/") == servers.base_url)
    expect(page.get_by_test_id("logout")).to_have_count(0)
    page.get_by_test_id("language-switch").click()

    # Logging in again fails, in the browser and over the API.
    page.goto("/login")
    page.get_by_label("이메일", exact=True).fill(user.email)
    page.get_by_label("비밀번호", exact=True).fill(user.password)
    page.get_by_role("button", name="로그인").click()
    # Not Next.js's route announcer, which is an (empty) alert too.
    expect(page.get_by_role("alert").filter(has_text="이메일 또는 비밀번호가")).to_be_visible()
    assert "/login" in page.url
    with servers.api() as client:
        res = client.post(
            "/api/accounts/login/", json={"email": user.email, "password": user.password}
        )
    assert res.status_code == 401


def test_mute_from_profile_menu(servers: Servers, new_page: Any, make_account: Any) -> None:
    me = make_account("acc_muter")
    other = make_account("acc_loud")
    page = new_page()
    ui_login(page, me)
    page.goto(f"/u/{other.handle}")
    page.get_by_test_id("profile-menu").click()
    expect(page.get_by_test_id("mute-toggle")).to_have_text("숨기기 (뮤트)")
    page.get_by_test_id("mute-toggle").click()
    expect(page.get_by_test_id("account-notice")).to_contain_text("뮤트했습니다")
    page.get_by_test_id("profile-menu").click()
    expect(page.get_by_test_id("mute-toggle")).to_have_text("뮤트 해제")
    # The mute is real: muting again is idempotent on the server, unmuting answers 204.
    with servers.api(me.access) as client:
        res = client.delete(f"/api/accounts/users/{other.handle}/mute/")
    assert res.status_code == 204, res.text


def test_comment_and_reply_edited_inline(
    servers: Servers, new_page: Any, make_account: Any
) -> None:
    author = make_account("ed_author")
    commenter = make_account("ed_commenter")
    with servers.api(author.access) as client:
        res = client.post(
            "/api/posts/p/",
            json={
                "title": "한라봉 판매",
                "text": "맛있어요",
                "category": "",
                "status": "published",
            },
        )
        assert res.status_code == 201, res.text
        post = res.json()["uuid"]
    with servers.api(commenter.access) as client:
        res = client.post("/api/comments/", json={"post": post, "text": "얼마에요?"})
        assert res.status_code == 201, res.text
        comment = res.json()["uuid"]
        res = client.post(f"/api/comments/{comment}/replies/", json={"text": "택배 되나요?"})
        assert res.status_code == 201, res.text

    page = new_page()
    ui_login(page, commenter)
    page.goto(f"/posts/{post}")
    # The only comment (a filter on its text would stop matching while the editor is open).
    item = page.get_by_test_id("comment")
    expect(item).to_contain_text("얼마에요?")
    item.get_by_test_id("comment-edit-button").click()
    editor = item.get_by_test_id("comment-edit").get_by_role("textbox")
    expect(editor).to_have_value("얼마에요?")
    editor.fill("얼마인가요? How much?")
    page.screenshot(path=SCREENSHOTS / "e2e-comment-edit-ko.png")
    item.get_by_role("button", name="저장").click()
    expect(item.get_by_test_id("comment-text")).to_have_text("얼마인가요? How much?")

    # The reply too.
    item.get_by_role("button", name="답글 1개 보기").click()
    reply = item.get_by_test_id("reply")
    reply.get_by_test_id("reply-edit-button").click()
    reply.get_by_test_id("reply-edit").get_by_role("textbox").fill("택배도 되나요?")
    reply.get_by_role("button", name="저장").click()
    expect(reply.get_by_test_id("reply-text")).to_have_text("택배도 되나요?")

    # Both survive a reload (stored on the server).
    page.reload()
    expect(item.get_by_test_id("comment-text")).to_have_text("얼마인가요? How much?")
    item.get_by_role("button", name="답글 1개 보기").click()
    expect(item.get_by_test_id("reply-text")).to_have_text("택배도 되나요?")

    # A refused edit shows the new text at once, then rolls back with a message.
    page.route(
        f"**/api/comments/{comment}/",
        lambda route: (
            route.fulfill(
                status=400,
                content_type="application/json",
                body='{"code":"invalid","detail":"no","fields":{"text":["no"]}}',
            )
            if route.request.method == "PATCH"
            else route.continue_()
        ),
    )
    item.get_by_test_id("comment-edit-button").click()
    item.get_by_test_id("comment-edit").get_by_role("textbox").fill("거절될 수정")
    item.get_by_role("button", name="저장").click()
    expect(item.get_by_role("alert")).to_contain_text("원래 내용으로 되돌렸습니다")
    expect(item.get_by_test_id("comment-text")).to_have_text("얼마인가요? How much?")

    # Other people get no edit button.
    other = new_page()
    ui_login(other, author)
    other.goto(f"/posts/{post}")
    expect(other.get_by_test_id("comment")).to_have_count(1)
    expect(other.get_by_test_id("comment-edit-button")).to_have_count(0)
