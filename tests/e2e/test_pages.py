"""Page details: security headers on web pages, comment links from notifications land at the
comment, relative times with the full date on hover."""

from __future__ import annotations

import re
from typing import Any

import httpx
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
