"""Search in the browser: a Korean query from the header finds a post, matches are marked,
user text stays text; dwell time is reported; recommendations show their reason."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import SCREENSHOTS, Servers, ui_login

pytestmark = pytest.mark.e2e


def test_korean_search_highlights_and_dwell(
    servers: Servers, new_page: Any, make_account: Any
) -> None:
    author = make_account("se_author", display_name="제주농부")
    reader = make_account("se_reader")
    with servers.api(author.access) as client:
        res = client.post(
            "/api/posts/p/",
            json={
                "title": "제주 감귤잼 만들기",
                "text": "새콤달콤한 감귤로 잼을 만들었어요 <b>굵게</b> "
                "<img src=x onerror=alert(1)>",
                "category": "food",
                "status": "published",
            },
        )
        assert res.status_code == 201, res.text
        post = res.json()["uuid"]
        # Indexing runs after the commit on a background thread: wait until search sees it.
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            found = client.get("/api/search/", params={"q": "감귤잼", "type": "post"}).json()
            if any(hit["uuid"] == post for hit in found["post"]["results"]):
                break
            time.sleep(0.3)
        else:
            pytest.fail("the post never reached the search index")

    page = new_page()
    ui_login(page, reader)
    page.get_by_test_id("header-search").fill("감귤잼")
    page.get_by_test_id("header-search").press("Enter")
    page.wait_for_url("**/search?q=*")
    hit = page.get_by_test_id("search-post").filter(has_text="제주 감귤잼 만들기")
    expect(hit).to_be_visible()
    expect(hit.locator("mark").first).to_be_visible()
    # What the author typed is shown as text, never as markup.
    expect(hit).to_contain_text("<b>굵게</b>")
    assert hit.locator("b, img").count() == 0
    page.screenshot(path=str(SCREENSHOTS / "e2e-search-ko.png"))

    page.get_by_test_id("search-tab-post").click()
    page.wait_for_url("**type=post*")
    expect(page.get_by_test_id("search-post").filter(has_text="제주 감귤잼")).to_be_visible()
    # People: the author by display name, from the search page's own box.
    page.get_by_test_id("search-tab-user").click()
    page.wait_for_url("**type=user*")
    page.get_by_test_id("search-input").fill("제주농부")
    page.get_by_test_id("search-input").press("Enter")
    expect(page.get_by_test_id("search-user").filter(has_text=author.handle)).to_be_visible()

    # Dwell: the result was on screen; hiding the page sends the batch with the access token.
    page.get_by_test_id("search-tab-post").click()
    expect(page.get_by_test_id("search-post").first).to_be_visible()
    page.wait_for_timeout(800)
    with page.expect_response(lambda r: r.url.endswith("/api/events/")) as response:
        page.evaluate(
            """() => {
              Object.defineProperty(
                document, 'visibilityState', {value: 'hidden', configurable: true});
              document.dispatchEvent(new Event('visibilitychange'));
            }"""
        )
    assert response.value.status == 202
    sent = json.loads(response.value.request.post_data or "[]")
    mine = [e for e in sent if e["target"] == post]
    assert mine and mine[0]["kind"] == "post" and mine[0]["dwell_ms"] >= 500
    assert response.value.request.headers.get("authorization", "").startswith("Bearer ")

    # Home: recommendations exactly as the API gives them, each with its reason.
    with servers.api(reader.access) as client:
        expected = client.get("/api/posts/recommend/", params={"page_size": 5}).json()["results"]
    page.goto("/")
    items = page.get_by_test_id("recommended-post")
    expect(items).to_have_count(len(expected))
    if expected:
        expect(items.first.get_by_test_id("recommended-reason")).not_to_be_empty()
        page.screenshot(path=str(SCREENSHOTS / "e2e-home-recommended-ko.png"))
