"""Public pages render their first content on the server (issue #10): the HTML a cold load gets,
before any JavaScript, already holds the post, the product, the lists and the profile, in the
user's language (the `lang` cookie the language switch writes, else Accept-Language). In
Chromium, with JavaScript off the post and the product still show; with it on, the page hydrates
without a hydration error; a missing post is the 404 page with status 404."""

from __future__ import annotations

import contextlib
import html
import re
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import cv2
import httpx
import numpy as np
import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import Servers, register_account
from tests.e2e.helpers import wait_until

pytestmark = pytest.mark.e2e

# React's hydration failures: dev messages and the minified production codes (418: text or
# element mismatch, 423/425: recoverable hydration errors).
HYDRATION = re.compile(r"hydrat|Minified React error #(418|423|425)", re.IGNORECASE)


@dataclass
class World:
    handle: str
    name: str
    post: str
    product: str
    tag: str


def _jpeg() -> bytes:
    y, x = np.mgrid[0:300, 0:400]
    img = np.zeros((300, 400, 3), dtype=np.uint8)
    img[..., 1] = (120 + x * 100 // 400).astype(np.uint8)
    img[..., 2] = (200 + y * 55 // 300).astype(np.uint8)
    ok, data = cv2.imencode(".jpg", img)
    assert ok
    return bytes(data.tobytes())


def _upload_photo(servers: Servers, client: httpx.Client) -> str:
    """A processed photo of the client's user, as the browser's uploader makes one."""
    data = _jpeg()
    grant = client.post(
        "/api/images/presigned/",
        json={"filename": "gyul.jpg", "content_type": "image/jpeg", "size": len(data)},
    )
    assert grant.status_code == 201, grant.text
    body = grant.json()
    url = body["url"] if body["url"].startswith("http") else servers.api_url + body["url"]
    sent = httpx.post(
        url, data=body["fields"], files={"file": ("gyul.jpg", data, "image/jpeg")}, timeout=20
    )
    assert sent.status_code < 300, sent.text
    assert client.post(f"/api/images/{body['uuid']}/complete/").status_code == 202
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        status = client.get(f"/api/images/{body['uuid']}/").json()["status"]
        if status == "ready":
            return str(body["uuid"])
        assert status != "failed"
        time.sleep(0.5)
    raise AssertionError("the photo was not processed in 60 s")


@pytest.fixture(scope="module")
def world(servers: Servers) -> World:
    account = register_account(servers, "ssr", display_name="서버상회")
    handle, access = account.handle, account.access
    tag = f"서버{uuid.uuid4().hex[:6]}"
    with servers.api(access) as client:
        bio = client.patch(f"/api/accounts/users/{handle}/", json={"bio": "서버에서 그린 소개글"})
        assert bio.is_success, bio.text
        photo = _upload_photo(servers, client)
        post = client.post(
            "/api/posts/p/",
            json={
                "title": "서버가 그린 글",
                "text": "첫 화면부터 보이는 본문",
                "tags": [tag],
                "status": "published",
                "images": [photo],
            },
        )
        assert post.status_code == 201, post.text
        post_uuid = post.json()["uuid"]
        comment = client.post("/api/comments/", json={"post": post_uuid, "text": "서버 댓글이에요"})
        assert comment.status_code == 201, comment.text
        product = client.post(
            "/api/products/",
            json={
                "name": "서버가 그린 상품",
                "description": "HTML에 들어 있는 설명",
                "price": 12000,
                "currency": "KRW",
                "link": "https://shop.example.com/ssr",
                "images": [photo],
            },
        )
        assert product.status_code == 201, product.text
    return World(handle, "서버상회", post_uuid, product.json()["uuid"], tag)


def _html(servers: Servers, path: str, **headers: str) -> tuple[int, str]:
    res = httpx.get(servers.base_url + path, headers=headers, timeout=30)
    return res.status_code, html.unescape(res.text)


# Each language as a browser asks for it: Accept-Language alone, and the switch's cookie (which
# wins over Accept-Language).
LANGS = {
    "ko": [
        {"Accept-Language": "ko-KR,ko;q=0.9"},
        {"Accept-Language": "en-US", "Cookie": "lang=ko"},
    ],
    "en": [
        {"Accept-Language": "en-US,en;q=0.9"},
        {"Accept-Language": "ko-KR", "Cookie": "lang=en"},
    ],
}
# A UI string of each page in each language (web/src/i18n), beside the content itself.
LABELS = {
    "home": {"ko": "최신 글", "en": "Latest posts"},
    "post": {"ko": "댓글 1", "en": "1 comments"},
    "product": {"ko": "스토어에서 보기", "en": "View in store"},
    "products": {"ko": "<h1", "en": "<h1"},
    "profile": {"ko": "팔로워", "en": "Followers"},
    "tag": {"ko": 'aria-label="홈"', "en": 'aria-label="Home"'},
}


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_public_pages_have_their_content_in_the_html(
    servers: Servers, world: World, lang: str
) -> None:
    pages = {
        "home": ("/", ["서버가 그린 글", world.name]),
        "post": (
            f"/posts/{world.post}",
            ["서버가 그린 글", "첫 화면부터 보이는 본문", "서버 댓글이에요", "/media/"],
        ),
        "product": (
            f"/products/{world.product}",
            ["서버가 그린 상품", "HTML에 들어 있는 설명", "12,000", "/media/"],
        ),
        "products": ("/products", ["서버가 그린 상품", "12,000", "/media/"]),
        "profile": (f"/u/{world.handle}", [world.name, "서버에서 그린 소개글", "서버가 그린 글"]),
        "tag": (f"/tags/{world.tag}", [f"#{world.tag}", "서버가 그린 글"]),
    }
    for headers in LANGS[lang]:
        for name, (path, wanted) in pages.items():
            status, text = _html(servers, path, **headers)
            assert status == 200, (name, headers, status)
            assert f'<html lang="{lang}"' in text, (name, headers, text[:300])
            for piece in [*wanted, LABELS[name][lang]]:
                assert piece in text, (name, headers, piece)
    # No Korean UI label in an English page.
    if lang == "en":
        _, text = _html(servers, "/", **{"Accept-Language": "en-US"})
        assert "최신 글" not in text


def test_missing_post_is_a_404_page(browser: Any, servers: Servers) -> None:
    """Status 404 from the server, and the 404 page in the UI language (Next.js 16.4 production
    builds put a page's notFound() boundary only in the RSC payload, not in the HTML: the page
    appears once the browser has run the scripts; an unknown route is real HTML)."""
    for path in [f"/posts/{uuid.uuid4()}", f"/products/{uuid.uuid4()}", "/u/no_such_user_h1x"]:
        assert httpx.get(servers.base_url + path, timeout=30).status_code == 404, path
    for locale, label in [("ko-KR", "페이지를 찾을 수 없어요"), ("en-US", "Page not found")]:
        context = browser.new_context(base_url=servers.base_url, locale=locale)
        try:
            page = context.new_page()
            response = page.goto(f"/posts/{uuid.uuid4()}")
            assert response is not None and response.status == 404
            expect(page.get_by_test_id("not-found")).to_contain_text(label)
            # Not the spinner of a page that retried its 404 before giving up.
            expect(page.get_by_role("status")).to_have_count(0)
        finally:
            context.close()


def test_post_and_product_without_javascript(browser: Any, servers: Servers, world: World) -> None:
    for locale, buy in [("ko-KR", "스토어에서 보기"), ("en-US", "View in store")]:
        context = browser.new_context(
            base_url=servers.base_url, locale=locale, java_script_enabled=False
        )
        try:
            page = context.new_page()
            page.goto(f"/posts/{world.post}")
            expect(page.get_by_test_id("post-title")).to_have_text("서버가 그린 글")
            expect(page.get_by_test_id("post-text")).to_contain_text("첫 화면부터 보이는 본문")
            expect(page.get_by_text("서버 댓글이에요")).to_be_visible()
            page.goto(f"/products/{world.product}")
            expect(page.get_by_test_id("product-name")).to_have_text("서버가 그린 상품")
            expect(page.get_by_test_id("product-price")).to_contain_text("12,000")
            expect(page.get_by_test_id("product-link")).to_have_text(re.compile(buy))
            # The photo is a real image in the server's HTML.
            expect(page.locator("main picture img").first).to_have_attribute(
                "src", re.compile(r"/media/")
            )
        finally:
            context.close()


def test_pages_hydrate_without_errors_in_both_languages(
    browser: Any, servers: Servers, world: World
) -> None:
    paths = {
        "home": ("/", "post-card"),
        "post": (f"/posts/{world.post}", "post-title"),
        "product": (f"/products/{world.product}", "product-name"),
        "products": ("/products", "product-card"),
        "profile": (f"/u/{world.handle}", "profile-name"),
        "tag": (f"/tags/{world.tag}", "post-card"),
    }
    for locale, lang in [("ko-KR", "ko"), ("en-US", "en")]:
        context = browser.new_context(base_url=servers.base_url, locale=locale)
        try:
            page = context.new_page()
            errors = _collect_errors(page)
            for name, (path, test_id) in paths.items():
                page.goto(path)
                expect(page.get_by_test_id(test_id).first).to_be_visible()
                page.wait_for_load_state("networkidle")
                # The client's language is the server's (no switch after hydration).
                assert page.evaluate("document.documentElement.lang") == lang, name
            hydration = [e for e in errors if HYDRATION.search(e)]
            assert not hydration, hydration
        finally:
            context.close()


def _collect_errors(page: Any) -> list[str]:
    errors: list[str] = []

    def on_console(message: Any) -> None:
        if message.type in {"error", "warning"}:
            errors.append(message.text)

    page.on("console", on_console)
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


@contextlib.contextmanager
def _post_in_korean(browser: Any, servers: Servers, world: World) -> Iterator[Any]:
    """The world's post in a fresh Korean browser (its own cookies and localStorage)."""
    context = browser.new_context(base_url=servers.base_url, locale="ko-KR")
    try:
        page = context.new_page()
        page.goto(f"/posts/{world.post}")
        yield page
    finally:
        context.close()


def test_language_switch_sets_the_cookie_the_server_renders(
    browser: Any, servers: Servers, world: World
) -> None:
    with _post_in_korean(browser, servers, world) as page:
        context = page.context
        expect(page.get_by_text("댓글 1", exact=True)).to_be_visible()
        page.get_by_test_id("language-switch").click()
        expect(page.get_by_text("1 comments", exact=True)).to_be_visible()
        cookies = {c["name"]: c["value"] for c in context.cookies()}
        assert cookies.get("lang") == "en"
        # The server's HTML of the next load is English although the browser asks for Korean.
        res = page.request.get(f"/posts/{world.post}", headers={"Accept-Language": "ko-KR"})
        text = html.unescape(res.text())
        assert '<html lang="en"' in text and "1 comments" in text
        # And back.
        page.get_by_test_id("language-switch").click()
        expect(page.get_by_text("댓글 1", exact=True)).to_be_visible()
        assert {c["name"]: c["value"] for c in context.cookies()}.get("lang") == "ko"


def test_language_switch_works_before_scripts_run(
    browser: Any, servers: Servers, world: World
) -> None:
    """The switch is a form (app/locale/route.ts): without JavaScript, as on a phone that has not
    hydrated the page yet, it stores the cookie and comes back to the same page, re-rendered."""
    context = browser.new_context(
        base_url=servers.base_url, locale="ko-KR", java_script_enabled=False
    )
    try:
        page = context.new_page()
        page.goto(f"/tags/{world.tag}")
        expect(page.get_by_text("서버가 그린 글").first).to_be_visible()
        with page.expect_navigation():
            page.get_by_test_id("language-switch").click()
        assert page.url == f"{servers.base_url}/tags/{quote(world.tag)}"
        assert page.evaluate("document.documentElement.lang") == "en"
        assert page.get_by_test_id("language-switch").inner_text() == "한국어"
        assert {c["name"]: c["value"] for c in context.cookies()}.get("lang") == "en"
        # The same tag, its Korean name percent-encoded on the way back.
        expect(page.get_by_text("서버가 그린 글").first).to_be_visible()
        with page.expect_navigation():
            page.get_by_test_id("language-switch").click()
        assert page.evaluate("document.documentElement.lang") == "ko"
        assert {c["name"]: c["value"] for c in context.cookies()}.get("lang") == "ko"
    finally:
        context.close()


def test_language_form_refuses_bad_input_and_stays_on_the_site(servers: Servers) -> None:
    with httpx.Client(base_url=servers.base_url, follow_redirects=False) as client:
        refused = client.post("/locale", data={"lang": "fr", "next": "/products"})
        assert refused.status_code == 400
        assert "lang" in refused.json()
        assert "set-cookie" not in refused.headers
        assert (
            client.post(
                "/locale",
                content=b"\xff",
                headers={"Content-Type": "multipart/form-data; boundary=x"},
            ).status_code
            == 400
        )
        cases = {
            "/products?page=2": "/products?page=2",
            "/tags/감귤": "/tags/%EA%B0%90%EA%B7%A4",
            "//evil.example/x": "/",
            "/\\evil.example": "/",
            "https://evil.example/": "/",
            "javascript:alert(1)": "/",
            "": "/",
        }
        for given, location in cases.items():
            res = client.post("/locale", data={"lang": "en", "next": given})
            assert res.status_code == 303, (given, res.text)
            assert res.headers["location"] == location, given
            assert res.cookies.get("lang") == "en"
        # No `next` at all: home.
        assert client.post("/locale", data={"lang": "ko"}).headers["location"] == "/"


def test_the_cookie_wins_over_an_older_stored_choice(
    browser: Any, servers: Servers, world: World
) -> None:
    """A choice made with the form (cookie only) is not undone by an older one in localStorage.

    Both are in place before the page's first script runs (an init script stores the old choice):
    writing them into a live page would race its own first read of the stored choice."""
    context = browser.new_context(base_url=servers.base_url, locale="ko-KR")
    try:
        context.add_cookies([{"name": "lang", "value": "en", "url": servers.base_url}])
        context.add_init_script(
            "localStorage.setItem('tangerine-locale',"
            " JSON.stringify({state: {locale: 'ko'}, version: 0}))"
        )
        page = context.new_page()
        page.goto(f"/posts/{world.post}")
        expect(page.get_by_text("1 comments", exact=True)).to_be_visible()
        # After hydration and the stored choice's read, still English, and it is now stored.
        stored = "() => JSON.parse(localStorage.getItem('tangerine-locale')).state.locale"
        wait_until(page, lambda: page.evaluate(stored) == "en")
        expect(page.get_by_text("1 comments", exact=True)).to_be_visible()
        assert {c["name"]: c["value"] for c in context.cookies()}.get("lang") == "en"
    finally:
        context.close()
