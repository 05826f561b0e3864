"""Social core in the browser: write a post, follow, see it in the feed, like, comment, reply."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import SCREENSHOTS, Servers, ui_login

pytestmark = pytest.mark.e2e


def test_post_follow_feed_like_comment_reply(
    servers: Servers, new_page: Any, make_account: Any
) -> None:
    author = make_account("writer", display_name="귤농부")
    reader = make_account("reader", display_name="Reader")

    # The author writes a post in Korean with tags.
    page = new_page()
    ui_login(page, author)
    page.goto("/posts/new")
    page.get_by_label("제목").fill("첫 수확한 한라봉")
    page.get_by_label("내용").fill("올해 첫 한라봉을 땄어요.\nFirst Hallabong of the year!")
    page.get_by_label("태그").fill("한라봉, jeju")
    page.get_by_role("button", name="게시하기").click()
    page.wait_for_url("**/posts/*")
    expect(page.get_by_test_id("post-title")).to_have_text("첫 수확한 한라봉")
    post_url = page.url

    # The reader follows the author from the profile and finds the post in the home feed.
    reader_page = new_page()
    ui_login(reader_page, reader)
    reader_page.goto(f"/u/{author.handle}")
    follow = reader_page.get_by_test_id("follow-button")
    expect(follow).to_have_text("팔로우")
    expect(reader_page.get_by_test_id("follower-count")).to_have_text("0")
    # The button flips at once (optimistic); wait for the server's answer before leaving the
    # page, or the navigation may abort the request.
    with reader_page.expect_response(
        lambda r: r.url.endswith("/api/follows/") and r.request.method == "POST"
    ) as followed:
        follow.click()
    assert followed.value.status in {200, 201}
    expect(follow).to_have_text("언팔로우")
    expect(reader_page.get_by_test_id("follower-count")).to_have_text("1")
    reader_page.goto("/")
    card = reader_page.get_by_test_id("post-card").filter(has_text="첫 수확한 한라봉")
    expect(card).to_be_visible()

    # Like from the feed: the heart fills and the count moves at once.
    like = card.get_by_test_id("post-like")
    expect(like).to_have_attribute("aria-pressed", "false")
    with reader_page.expect_response(
        lambda r: r.url.endswith("/api/likes/post-likes/") and r.request.method == "POST"
    ):
        like.click()
    expect(like).to_have_attribute("aria-pressed", "true")
    expect(card.get_by_test_id("post-like-count")).to_have_text("1")

    # Comment and reply on the post page.
    card.get_by_role("link", name="첫 수확한 한라봉").click()
    reader_page.wait_for_url(post_url)
    expect(reader_page.get_by_test_id("post-like")).to_have_attribute("aria-pressed", "true")
    comment_form = reader_page.get_by_test_id("comment-form")
    comment_form.get_by_role("textbox").fill("맛있어 보여요! Looks delicious")
    comment_form.get_by_role("button").click()
    comment = reader_page.get_by_test_id("comment").filter(has_text="맛있어 보여요!")
    expect(comment).to_be_visible()
    comment.get_by_role("button", name="답글", exact=True).click()
    reply_form = comment.get_by_test_id("reply-form")
    reply_form.get_by_role("textbox").fill("감사합니다 🙂")
    reply_form.get_by_role("button").click()
    expect(comment.get_by_test_id("reply").filter(has_text="감사합니다")).to_be_visible()
    comment.get_by_test_id("comment-like").click()
    expect(comment.get_by_test_id("comment-like-count")).to_have_text("1")
    reader_page.screenshot(path=SCREENSHOTS / "e2e-post-detail.png", full_page=True)

    # The author sees the like, comment and reply after a reload (server state, not cache).
    page.reload()
    expect(page.get_by_test_id("post-like-count")).to_have_text("1")
    author_comment = page.get_by_test_id("comment").filter(has_text="맛있어 보여요!")
    expect(author_comment).to_be_visible()
    author_comment.get_by_role("button", name="답글 1개 보기").click()
    expect(author_comment.get_by_test_id("reply")).to_have_count(1)

    # The reader's profile tabs list the comment and the liked post.
    reader_page.goto(f"/u/{reader.handle}")
    reader_page.get_by_role("tab", name="댓글").click()
    expect(reader_page.get_by_test_id("user-comment").first).to_contain_text("맛있어 보여요!")
    reader_page.get_by_role("tab", name="좋아요").click()
    expect(reader_page.get_by_test_id("post-card").first).to_contain_text("첫 수확한 한라봉")

    # Phone-sized screen: the bottom navigation replaces the header links; the feed still renders.
    phone = new_page(width=390, height=844)
    ui_login(phone, reader)
    phone.goto("/")
    expect(phone.get_by_role("navigation", name="mobile")).to_be_visible()
    expect(phone.get_by_role("navigation", name="main")).to_be_hidden()
    expect(phone.get_by_test_id("post-card").filter(has_text="첫 수확한 한라봉")).to_be_visible()
    phone.screenshot(path=SCREENSHOTS / "e2e-feed-phone.png", full_page=True)

    # Followers list of the author shows the reader; unfollow from the profile.
    reader_page.goto(f"/u/{author.handle}/followers")
    expect(reader_page.get_by_test_id("follow-row").first).to_contain_text(reader.handle)
    reader_page.goto(f"/u/{author.handle}")
    reader_page.get_by_test_id("follow-button").click()
    expect(reader_page.get_by_test_id("follower-count")).to_have_text("0")


def test_like_rolls_back_when_the_api_refuses(
    servers: Servers, new_page: Any, make_account: Any
) -> None:
    author = make_account("rb_author")
    with servers.api(author.access) as api:
        res = api.post(
            "/api/posts/p/",
            json={"title": "Rollback", "text": "x", "category": "", "status": "published"},
        )
        assert res.status_code == 201, res.text
        uuid = res.json()["uuid"]
    reader = make_account("rb_reader")
    page = new_page()
    ui_login(page, reader)
    page.route(
        "**/api/likes/post-likes/",
        lambda route: route.fulfill(
            status=500, content_type="application/json", body='{"code":"x","detail":"x"}'
        ),
    )
    page.goto(f"/posts/{uuid}")
    like = page.get_by_test_id("post-like")
    expect(like).to_have_attribute("aria-pressed", "false")
    with page.expect_response("**/api/likes/post-likes/") as refused:
        like.click()
    assert refused.value.status == 500
    # Optimistic at first, then rolled back to the server's truth.
    expect(like).to_have_attribute("aria-pressed", "false")
    expect(page.get_by_test_id("post-like-count")).to_have_text("0")
