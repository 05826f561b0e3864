"""Social features in Chromium at phone, tablet and desktop widths, in Korean and English:
@mention links, a tag's page, suggestions on an empty feed (follow from there), the edited
marker on comments, the profile's photo grid, and undoing an unfollow from a following list.
Each page is also checked for horizontal overflow and wrapped button text (test_layout's check).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import Servers, register_account, ui_login
from tests.e2e.helpers import browser_context, choose_language, layout_problems

pytestmark = pytest.mark.e2e

TEXT = {
    "ko": {"edited": "(수정됨)", "grid": "사진", "follow": "팔로우", "unfollow": "언팔로우"},
    "en": {"edited": "(edited)", "grid": "Photos", "follow": "Follow", "unfollow": "Unfollow"},
}


@pytest.fixture(scope="module")
def world(servers: Servers) -> Iterator[dict[str, Any]]:
    """A writer whose post mentions minji and a handle nobody has, with a unique tag and an
    edited comment; a hub account that follows the writer (so whoever follows the hub is
    suggested the writer)."""
    writer = register_account(servers, "soc_w", "감귤 농부")
    minji = register_account(servers, "soc_m", "민지")
    hub = register_account(servers, "soc_h", "허브")
    tag = f"귤e2e{uuid.uuid4().hex[:6]}"
    with servers.api(writer.access) as w, servers.api(hub.access) as h:
        post = w.post(
            "/api/posts/p/",
            json={
                "title": "같이 귤 따요",
                "text": f"@{minji.handle} 님 내일 같이 따요! @nobody_{uuid.uuid4().hex[:6]} 도",
                "tags": [tag, "jeju"],
                "status": "published",
            },
        )
        assert post.status_code == 201, post.text
        assert [m["handle"] for m in post.json()["mentions"]] == [minji.handle]
        assert post.json()["tags"] == [tag.lower(), "jeju"]
        comment = w.post("/api/comments/", json={"post": post.json()["uuid"], "text": "첫 댓글"})
        assert comment.status_code == 201, comment.text
        edited = w.patch(
            f"/api/comments/{comment.json()['uuid']}/",
            json={"text": f"고쳤어요 @{minji.handle}"},
        )
        assert edited.json()["edited_at"], edited.text
        assert h.post("/api/follows/", json={"handle": writer.handle}).status_code == 201
    yield {
        "writer": writer,
        "minji": minji,
        "hub": hub,
        "tag": tag.lower(),
        "post": post.json()["uuid"],
    }


@pytest.mark.parametrize("lang", ["ko", "en"])
@pytest.mark.parametrize("width", [390, 800, 1280])
def test_mentions_tags_suggestions_and_profile_grid(
    servers: Servers, browser: Any, world: dict[str, Any], width: int, lang: str
) -> None:
    text = TEXT[lang]
    writer, minji = world["writer"], world["minji"]
    # A new member who follows only the hub: an empty feed, the writer suggested.
    newbie = register_account(servers, "soc_n", "새내기")
    with servers.api(newbie.access) as n:
        assert n.post("/api/follows/", json={"handle": world["hub"].handle}).status_code == 201
    context = browser_context(browser, servers, width, lang)
    problems: list[str] = []
    try:
        page = context.new_page()
        # Script errors in the page fail the test with their message.
        page.on("pageerror", lambda exc: problems.append(f"page error: {exc}"))
        ui_login(page, newbie)
        choose_language(page, lang)

        # Empty feed: suggestions with follow buttons; following keeps the row.
        page.goto("/")
        panel = page.get_by_test_id("suggestions")
        row = panel.get_by_test_id("suggestion").filter(has_text=f"@{writer.handle}")
        expect(row).to_be_visible()
        problems += layout_problems(page, "home-suggestions")
        row.get_by_role("button", name=text["follow"], exact=True).click()
        expect(row.get_by_role("button", name=text["unfollow"], exact=True)).to_be_visible()
        # The writer's post arrives in the feed under the panel, which stays.
        expect(page.get_by_test_id("post-card").first).to_be_visible()
        expect(panel).to_be_visible()

        # The post: @minji is a link to her profile, the unknown handle is plain text.
        page.goto(f"/posts/{world['post']}")
        body = page.get_by_test_id("post-text")
        expect(body).to_contain_text("@nobody_")
        links = body.get_by_test_id("mention-link")
        expect(links).to_have_count(1)
        expect(links).to_have_attribute("href", f"/u/{minji.handle}")
        # The edited comment says so, and its mention is linked too.
        comment = page.get_by_test_id("comment").first
        expect(comment.get_by_test_id("comment-edited")).to_have_text(text["edited"])
        expect(comment.get_by_test_id("mention-link")).to_have_text(f"@{minji.handle}")
        problems += layout_problems(page, "post-mentions")

        # Tags are links to the tag's page, in the order typed.
        tag_links = page.get_by_test_id("tag-link")
        expect(tag_links).to_have_text([f"#{world['tag']}", "#jeju"])
        tag_links.first.click()
        page.wait_for_url("**/tags/**")
        assert problems == []
        expect(page.get_by_test_id("tag-title")).to_have_text(f"#{world['tag']}")
        expect(page.get_by_test_id("post-card")).to_have_count(1)
        # Trending is cached for up to a minute ("fresh within a minute"): an earlier page of
        # the suite may have cached it before this test's post existed.
        for _ in range(14):
            if page.get_by_test_id("trending-tags").count():
                break
            page.wait_for_timeout(5_000)
            page.reload()
        expect(page.get_by_test_id("trending-tags")).to_be_visible()
        problems += layout_problems(page, "tag-page")
        page.goto(f"/tags/{uuid.uuid4().hex}")
        expect(page.get_by_test_id("tag-title")).to_be_visible()
        expect(page.get_by_test_id("post-card")).to_have_count(0)

        # Mention link goes to minji's profile.
        page.goto(f"/posts/{world['post']}")
        page.get_by_test_id("post-text").get_by_test_id("mention-link").click()
        page.wait_for_url(f"**/u/{minji.handle}")

        # The writer's profile: the photo grid tab.
        page.goto(f"/u/{writer.handle}")
        page.get_by_role("tab", name=text["grid"], exact=True).click()
        expect(page.get_by_test_id("grid-tile")).to_have_count(1)
        problems += layout_problems(page, "profile-grid")

        # My following list: unfollowing keeps the row with a follow button (undo).
        page.goto(f"/u/{newbie.handle}/following")
        follow_row = page.get_by_test_id("follow-row").filter(has_text=f"@{writer.handle}")
        follow_row.get_by_role("button", name=text["unfollow"], exact=True).click()
        undo = follow_row.get_by_role("button", name=text["follow"], exact=True)
        expect(undo).to_be_visible()
        page.wait_for_timeout(300)
        expect(follow_row).to_be_visible()
        undo.click()
        expect(follow_row.get_by_role("button", name=text["unfollow"], exact=True)).to_be_visible()
        problems += layout_problems(page, "following-undo")
    finally:
        context.close()
    assert problems == []
