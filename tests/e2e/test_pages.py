"""Page details: security headers on web pages, comment links from notifications land at the
comment, relative times with the full date on hover."""

from __future__ import annotations

import html
import re
from typing import Any

import cv2
import httpx
import numpy as np
import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import Servers, ui_login

pytestmark = pytest.mark.e2e


def test_security_headers_on_pages(servers: Servers) -> None:
    for path in ["/", "/login", "/no/such/page"]:
        res = httpx.get(servers.base_url + path, timeout=20)
        csp = res.headers.get("content-security-policy", "")
        assert "frame-ancestors 'none'" in csp, (path, csp)
        assert "object-src 'none'" in csp, (path, csp)
        assert "unsafe-eval" not in csp, (path, csp)
        assert res.headers.get("referrer-policy") == "strict-origin-when-cross-origin", path
        assert res.headers.get("x-content-type-options") == "nosniff", path
        assert res.headers.get("x-frame-options") == "DENY", path


def test_comment_notification_lands_at_the_comment(
    servers: Servers, new_page: Any, make_account: Any
) -> None:
    alice = make_account("anc_a")
    bob = make_account("anc_b")
    with servers.api(alice.access) as client:
        post = client.post(
            "/api/posts/p/",
            json={"title": "긴 글", "text": "감귤 이야기\n" * 80, "status": "published"},
        ).json()["uuid"]
    with servers.api(bob.access) as client:
        for i in range(12):
            res = client.post("/api/comments/", json={"post": post, "text": f"댓글 {i}"})
            assert res.status_code == 201, res.text
        target = res.json()["uuid"]
    page = new_page(height=700)
    ui_login(page, alice)
    page.goto("/notifications")
    item = page.locator(f'a[href$="#comment-{target}"]')
    expect(item).to_have_count(1)
    item.click()
    page.wait_for_url(re.compile(rf"/posts/{post}#comment-{target}$"))
    comment = page.locator(f'[id="comment-{target}"]')
    expect(comment).to_have_attribute("data-targeted", "true")
    expect(comment).to_be_in_viewport()

    # Relative time with the full date on hover.
    when = comment.get_by_test_id("relative-time").first
    expect(when).to_have_text(re.compile(r"방금 전|분 전"))
    title = when.get_attribute("title") or ""
    assert re.search(r"\d{4}년", title), title


def _jpeg(color: tuple[int, int, int]) -> bytes:
    img = np.zeros((300, 400, 3), dtype=np.uint8)
    img[...] = color
    ok, data = cv2.imencode(".jpg", img)
    assert ok
    return bytes(data.tobytes())


def test_photos_carousel_more_photos_and_link_previews(
    servers: Servers, new_page: Any, make_account: Any
) -> None:
    author = make_account("car_a", display_name="귤농부")
    page = new_page()
    ui_login(page, author)
    page.goto("/posts/new")
    page.get_by_label("제목").fill("귤밭 사진 두 장")
    page.get_by_label("내용").fill("아침의 귤밭과 저녁의 귤밭입니다.")
    page.get_by_test_id("image-input").set_input_files(
        files=[
            {"name": "a.jpg", "mimeType": "image/jpeg", "buffer": _jpeg((30, 120, 250))},
            {"name": "b.jpg", "mimeType": "image/jpeg", "buffer": _jpeg((40, 200, 90))},
        ]
    )
    expect(page.get_by_test_id("image-strip").locator("img")).to_have_count(2, timeout=60_000)
    page.get_by_test_id("form-submit").click()
    page.wait_for_url(re.compile(r"/posts/[0-9a-f-]{36}$"))
    post = page.url.rsplit("/", 1)[1]

    # The post page: one photo at a time, "1 / 2", the next one a click (or a swipe) away.
    carousel = page.get_by_test_id("carousel")
    expect(carousel).to_be_visible()
    expect(page.get_by_test_id("carousel-count")).to_have_text("1 / 2")
    page.get_by_test_id("carousel-next").click()
    expect(page.get_by_test_id("carousel-count")).to_have_text("2 / 2")
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")

    # Cards say there is more than the cover.
    page.goto(f"/u/{author.handle}")
    card = page.get_by_test_id("post-card").filter(has_text="귤밭 사진 두 장")
    expect(card.get_by_test_id("more-photos")).to_have_text("사진 2장")

    # A shared link: the server sends the post's own title, description and photo.
    res = httpx.get(f"{servers.base_url}/posts/{post}", timeout=20)
    text = html.unescape(res.text)
    assert "<title>귤밭 사진 두 장 · 감귤마켓</title>" in text, text[:2000]
    assert '<meta property="og:title" content="귤밭 사진 두 장"/>' in text
    assert '<meta property="og:description" content="아침의 귤밭과 저녁의 귤밭입니다."/>' in text
    og_image = re.search(r'<meta property="og:image" content="([^"]+)"', text)
    assert og_image and og_image.group(1).startswith(servers.base_url + "/media/"), og_image
    assert '<meta name="twitter:card" content="summary_large_image"/>' in text
    profile = html.unescape(httpx.get(f"{servers.base_url}/u/{author.handle}", timeout=20).text)
    assert f"<title>귤농부 (@{author.handle}) · 감귤마켓</title>" in profile
    search = httpx.get(f"{servers.base_url}/search", timeout=20).text
    assert "<title>검색 · 감귤마켓</title>" in search
