"""Korean all the way through: errors the API answers in English never show as English in the
Korean UI; prices and links as people type them; stale field errors go away; a post is never
published without a photo that is still uploading, and a failed photo can be removed."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import Servers, make_staff, ui_login

pytestmark = pytest.mark.e2e

# Latin words that may appear in Korean UI text (names of formats, the language switch).
ALLOWED = {"JPEG", "PNG", "WebP", "English", "MB", "http", "https", "www", "example", "com"}


def english_words(text: str) -> list[str]:
    return [w for w in re.findall(r"[A-Za-z]{3,}", text) if w not in ALLOWED]


def error_texts(page: Any) -> list[str]:
    """Text of every visible error: field errors, alerts, upload errors."""
    page.wait_for_timeout(100)
    texts = page.locator(
        '[data-field-error], [role="alert"], [data-testid="upload-error"]'
    ).all_inner_texts()
    # Next.js's route announcer is an empty role="alert" too.
    return [t for t in texts if t.strip()]


def assert_korean(texts: list[str], where: str) -> None:
    assert texts, f"{where}: no error shown"
    for text in texts:
        assert not english_words(text), f"{where}: English server text shown: {text!r}"


def test_api_errors_in_korean(servers: Servers, new_page: Any, make_account: Any) -> None:
    taken = make_account("ko_taken")
    page = new_page()

    # Sign-up: the e-mail and handle are taken, the password is common and differs.
    page.goto("/signup")
    page.get_by_label("이메일", exact=True).fill(taken.email)
    page.get_by_label("아이디 (handle)").fill(taken.handle)
    page.get_by_label("비밀번호", exact=True).fill("password")
    page.get_by_label("비밀번호 확인").fill("password1")
    page.get_by_role("button", name="가입하기").click()
    expect(page.locator("[data-field-error]").first).to_be_visible()
    assert_korean(error_texts(page), "sign-up")
    # A stale error goes as soon as its field changes; the others stay.
    before = page.locator("[data-field-error]").count()
    field_id = page.locator("[data-field-error]").first.get_attribute("data-field-error")
    own = page.locator(f'[data-field-error="{field_id}"]').count()
    page.locator(f'[id="{field_id}"]').press("End")
    page.locator(f'[id="{field_id}"]').press_sequentially("x")
    expect(page.locator(f'[data-field-error="{field_id}"]')).to_have_count(0)
    expect(page.locator("[data-field-error]")).to_have_count(before - own)

    # Login with a wrong password.
    page.goto("/login")
    page.get_by_label("이메일", exact=True).fill(taken.email)
    page.get_by_label("비밀번호", exact=True).fill("wrong-password-123")
    page.get_by_role("button", name="로그인").click()
    expect(page.get_by_role("alert").filter(has_text=re.compile(r"\S")).first).to_be_visible()
    assert_korean(error_texts(page), "login")

    ui_login(page, taken)

    # Chat with a user who does not exist: people are picked from search suggestions now, so
    # the picker says in Korean that no one matches (the API's "No such user" cannot be reached).
    page.goto("/chat")
    page.get_by_role("combobox").first.fill("nobody_zz_404")
    hint = page.get_by_role("listbox").first
    expect(hint).to_be_visible()
    assert_korean([hint.inner_text()], "chat")

    # A store link that is not a product page (JSON): the preview fails.
    page.goto("/products/new")
    page.get_by_label("판매처 링크").fill(f"{servers.api_url}/api/health/live")
    page.get_by_test_id("preview-button").click()
    expect(page.get_by_role("alert").filter(has_text=re.compile(r"\S")).first).to_be_visible(
        timeout=30_000
    )
    assert_korean(error_texts(page), "link preview")

    # A broken photo: processing fails with a Korean reason; publishing waits until it is removed.
    page.goto("/posts/new")
    page.get_by_label("제목").fill("사진 실패 테스트")
    page.get_by_test_id("image-input").set_input_files(
        files=[
            {
                "name": "broken.jpg",
                "mimeType": "image/jpeg",
                "buffer": b"\xff\xd8\xff\xe0" + b"not really a jpeg" * 40,
            }
        ]
    )
    expect(page.get_by_test_id("upload-error")).to_be_visible(timeout=60_000)
    assert_korean(error_texts(page), "image failure")
    expect(page.get_by_test_id("form-submit")).to_be_disabled()
    page.get_by_test_id("upload-remove").click()
    expect(page.get_by_test_id("upload-job")).to_have_count(0)
    expect(page.get_by_test_id("form-submit")).to_be_enabled()

    # An unknown address: the 404 page in Korean (Next.js's own is English).
    page.goto("/no/such/page")
    expect(page.get_by_test_id("not-found")).to_be_visible()
    main = page.locator("main").inner_text()
    assert not english_words(main), main
    assert "could not be found" not in page.content()


def _jpeg() -> bytes:
    import cv2
    import numpy as np

    img = np.zeros((48, 64, 3), dtype=np.uint8)
    img[..., 2] = 249
    img[..., 1] = 115
    ok, data = cv2.imencode(".jpg", img)
    assert ok
    return bytes(data.tobytes())


def test_publish_waits_for_photos(servers: Servers, new_page: Any, make_account: Any) -> None:
    account = make_account("ko_photo")
    page = new_page()
    ui_login(page, account)
    # The photo stays "processing" until the test lets it through.
    hold = {"on": True}

    def status(route: Any) -> None:
        if hold["on"] and route.request.method == "GET":
            uuid = route.request.url.rstrip("/").rsplit("/", 1)[1]
            body = {"uuid": uuid, "status": "processing", "error": None, "variants": []}
            route.fulfill(status=200, content_type="application/json", body=json.dumps(body))
        else:
            route.continue_()

    page.route(re.compile(r"/api/images/[0-9a-f-]{36}/$"), status)
    page.goto("/posts/new")
    page.get_by_label("제목").fill("사진 기다리기")
    page.get_by_label("내용").fill("사진이 다 올라간 뒤에 올립니다.")
    page.get_by_test_id("image-input").set_input_files(
        files=[{"name": "gyul.jpg", "mimeType": "image/jpeg", "buffer": _jpeg()}]
    )
    expect(page.get_by_test_id("upload-job")).to_have_attribute("data-phase", "processing")
    expect(page.get_by_test_id("uploads-pending")).to_be_visible()
    expect(page.get_by_test_id("form-submit")).to_be_disabled()
    hold["on"] = False
    expect(page.get_by_test_id("image-strip").locator("img")).to_have_count(1, timeout=30_000)
    expect(page.get_by_test_id("form-submit")).to_be_enabled()
    page.get_by_test_id("form-submit").click()
    page.wait_for_url(re.compile(r"/posts/[0-9a-f-]{36}$"))
    post = page.url.rsplit("/", 1)[1]
    with servers.api(account.access) as client:
        assert len(client.get(f"/api/posts/p/{post}/").json()["images"]) == 1


def test_prices_and_links_as_typed(servers: Servers, new_page: Any, make_account: Any) -> None:
    account = make_account("ko_price")
    page = new_page()
    ui_login(page, account)
    page.goto("/products/new")
    price = page.get_by_label("가격")
    for typed in ["₩12,000", "12000원", "12,000"]:
        price.fill("")
        price.type(typed)
        expect(price).to_have_value("12,000")
    price.fill("abc")
    page.get_by_label("상품명").fill("제주 감귤")
    page.get_by_label("판매처 링크").fill("www.example.com/shop")
    page.get_by_role("button", name="저장").click()
    expect(page.locator("[data-field-error]").first).to_be_visible()
    assert_korean(error_texts(page), "price")
    # The link got its scheme instead of an error.
    expect(page.get_by_label("판매처 링크")).to_have_value("https://www.example.com/shop")
    price.fill("₩12,000")
    expect(page.locator("[data-field-error]")).to_have_count(0)
    page.get_by_role("button", name="저장").click()
    page.wait_for_url(re.compile(r"/products/[0-9a-f-]{36}$"))
    product = page.url.rsplit("/", 1)[1]
    with servers.api(account.access) as client:
        body = client.get(f"/api/products/{product}/").json()
    assert body["price"] == 12000
    assert body["link"] == "https://www.example.com/shop"


def test_staff_history_in_korean(servers: Servers, new_page: Any, make_account: Any) -> None:
    author = make_account("ko_author")
    reporter = make_account("ko_reporter")
    staff = make_account("ko_staff")
    make_staff(servers, staff.handle)
    with servers.api(author.access) as client:
        post = client.post(
            "/api/posts/p/", json={"title": "신고될 글", "text": "스팸", "status": "published"}
        ).json()["uuid"]
    with servers.api(reporter.access) as client:
        res = client.post(
            "/api/reports/", json={"target_type": "post", "target": post, "reason": "spam"}
        )
        assert res.status_code == 201, res.text
        report = res.json()["uuid"]
    with servers.api(staff.access) as client:
        res = client.patch(f"/api/reports/{report}/", json={"status": "in_review"})
        assert res.status_code == 200, res.text
        res = client.patch(
            f"/api/reports/{report}/",
            json={"status": "resolved", "actions": ["hide_content"], "reason": "스팸 확인"},
        )
        assert res.status_code == 200, res.text
    page = new_page()
    ui_login(page, staff)
    page.goto(f"/staff/reports/{report}")
    history = page.get_by_test_id("history")
    expect(history).to_contain_text("콘텐츠 숨김")
    actions = page.get_by_test_id("history-action").all_inner_texts()
    assert actions and not any(english_words(a) for a in actions), actions
    assert "hide_content" not in history.inner_text()
