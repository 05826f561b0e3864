"""GET /api/search/: shape, highlighting, users, pagination, bad input, degraded mode, queries."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from tangerine.accounts.models import Block


def test_results_carry_card_fields_score_and_escaped_highlights(alice, anon, make_post):
    post = make_post(
        author=alice,
        title="겨울 코트 후기",
        text="<b>따뜻한</b> 울 코트를 샀어요",
        tags=["fashion"],
    )
    body = anon.get("/api/search/", {"q": "코트", "type": "post"}).json()
    assert body["dense"] is True and body["degraded"] is False
    assert set(body) == {"q", "dense", "degraded", "post"}
    hit = body["post"]["results"][0]
    assert hit["uuid"] == str(post.uuid)
    assert hit["kind"] == "post"
    assert hit["author"]["handle"] == "alice"
    assert hit["like_count"] == 0 and "created_at" in hit and hit["score"] > 0
    assert hit["highlights"] == ["코트"]
    assert "<mark>코트</mark>" in hit["snippet_html"]
    assert "&lt;b&gt;" in hit["snippet_html"] and "<b>" not in hit["snippet_html"]


def test_korean_particles_and_english_plurals_match(alice, anon, make_post):
    ko = make_post(author=alice, text="캠핑용 텐트를 새로 장만했습니다")
    en = make_post(author=alice, text="Two new tents for the camping season")

    def found(q: str) -> set[str]:
        return {
            h["uuid"]
            for h in anon.get("/api/search/", {"q": q, "type": "post"}).json()["post"]["results"]
        }

    assert str(ko.uuid) in found("텐트")
    assert str(en.uuid) in found("tent")


def test_products_show_price_currency_image_and_owner(alice, anon, make_product):
    product = make_product(
        owner=alice, name="무선 이어폰", description="noise cancelling", price=129000
    )
    body = anon.get("/api/search/", {"q": "이어폰", "type": "product"}).json()
    hit = body["product"]["results"][0]
    assert hit["uuid"] == str(product.uuid)
    assert (hit["name"], hit["price"], hit["currency"]) == ("무선 이어폰", 129000, "KRW")
    assert hit["image"] is None and hit["owner"]["handle"] == "alice"


def test_users_match_by_handle_prefix_name_and_typo(make_user, anon):
    make_user(handle="tangerine_kim", display_name="김귤")
    make_user(handle="orange_lee", display_name="이오렌지")

    def handles(q: str) -> list[str]:
        return [
            h["handle"]
            for h in anon.get("/api/search/", {"q": q, "type": "user"}).json()["user"]["results"]
        ]

    assert handles("tange") == ["tangerine_kim"]
    assert handles("오렌지") == ["orange_lee"]
    assert handles("tanjerine") == ["tangerine_kim"]  # a typo still finds her
    assert handles("@orange") == ["orange_lee"]


def test_users_hidden_when_suspended_or_blocked(make_user, as_user, anon):
    viewer = make_user(handle="viewer")
    blocker = make_user(handle="photo_fan", display_name="photo")
    make_user(handle="photo_bad", display_name="photo", suspended_at=timezone.now())
    Block.objects.create(blocker=blocker, blocked=viewer)
    assert [
        h["handle"]
        for h in anon.get("/api/search/", {"q": "photo", "type": "user"}).json()["user"]["results"]
    ] == ["photo_fan"]
    assert (
        as_user(viewer)
        .get("/api/search/", {"q": "photo", "type": "user"})
        .json()["user"]["results"]
        == []
    )


def test_each_kind_pages_on_its_own(alice, anon, make_post):
    for i in range(5):
        make_post(author=alice, title=f"lamp {i}", text="desk lamp")
    page1 = anon.get("/api/search/", {"q": "lamp", "type": "post,user", "page_size": 2}).json()
    assert page1["post"]["count"] == 5 and len(page1["post"]["results"]) == 2
    assert page1["post"]["previous"] is None
    assert "type=post" in page1["post"]["next"] and "page=2" in page1["post"]["next"]
    page3 = anon.get(page1["post"]["next"].replace("page=2", "page=3")).json()
    assert len(page3["post"]["results"]) == 1 and page3["post"]["next"] is None
    seen = {h["uuid"] for h in page1["post"]["results"]} | {
        h["uuid"] for h in page3["post"]["results"]
    }
    assert len(seen) == 3


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({}, "q"),
        ({"q": ""}, "q"),
        ({"q": "   "}, "q"),
        ({"q": "x" * 201}, "q"),
        ({"q": "lamp", "type": "post,video"}, "type"),
        ({"q": "lamp", "type": ","}, "type"),
        ({"q": "lamp", "page_size": 500}, "page_size"),
        ({"q": "lamp", "page": 0}, "page"),
    ],
)
def test_bad_queries_are_400_with_a_field_message(anon, db, params, field):
    response = anon.get("/api/search/", params)
    assert response.status_code == 400
    assert field in response.json()["fields"]


def test_a_200_character_query_is_accepted(anon, db):
    assert anon.get("/api/search/", {"q": "가" * 200}).status_code == 200


def test_vector_store_down_answers_keyword_only_with_a_flag(alice, anon, make_post, milvus_down):
    post = make_post(author=alice, title="blue raincoat", text="raincoat")
    other = make_post(author=alice, title="umbrella", text="umbrella")
    response = anon.get("/api/search/", {"q": "raincoat"})
    assert response.status_code == 200
    body = response.json()
    assert body["dense"] is False and body["degraded"] is True
    assert [h["uuid"] for h in body["post"]["results"]] == [str(post.uuid)]
    assert str(other.uuid) not in str(body)
    # The next request does not wait on the dead server again.
    assert anon.get("/api/search/", {"q": "umbrella"}).json()["degraded"] is True


def _fill(alice: Any, bob: Any, make_post: Any, make_product: Any, make_user: Any, n: int) -> None:
    for i in range(n):
        make_post(author=alice if i % 2 else bob, title=f"speaker {i}", text="bluetooth speaker")
        make_product(owner=alice, name=f"speaker {i}", description="bluetooth speaker")
        make_user(handle=f"speaker_{i}_{n}", display_name="speaker")


@pytest.mark.parametrize("n", [2, 10])
def test_query_count_does_not_grow_with_results(
    n, alice, bob, carol, as_user, make_post, make_product, make_user, django_assert_num_queries
):
    _fill(alice, bob, make_post, make_product, make_user, n)
    client = as_user(carol)
    client.get("/api/search/", {"q": "speaker"})  # warm the process-wide caches (Kiwi, model)
    # auth 1; posts and products each: df, scores, visibility, cards, images = 5 (the corpus
    # size and average length are remembered from the first request); users 2 (candidates,
    # then the page's users with their images).
    with django_assert_num_queries(1 + 5 + 5 + 2):
        response = client.get("/api/search/", {"q": "speaker", "page_size": 50})
    assert response.status_code == 200
    assert response.json()["post"]["count"] == n


def test_staff_searching_never_meet_hidden_or_suspended_content(
    alice, make_user, mod, as_user, make_post, make_product
):
    """Staff may open hidden content from a report, but discovery lists leave it out for all."""
    shown = make_post(author=alice, text="귤 농장 방문기 tangerine farm")
    hidden = make_post(author=alice, text="귤 농장 스팸 tangerine farm")
    hidden.hidden_at = timezone.now()
    hidden.save(update_fields=["hidden_at"])
    suspended = make_user(handle="gone", suspended_at=timezone.now())
    by_suspended = make_post(author=suspended, text="귤 농장 광고 tangerine farm")
    product = make_product(owner=suspended, name="귤 농장 상자", description="tangerine farm")

    body = as_user(mod).get("/api/search/", {"q": "귤 농장", "type": "post,product"}).json()
    posts = {hit["uuid"] for hit in body["post"]["results"]}
    assert str(shown.uuid) in posts
    assert str(hidden.uuid) not in posts
    assert str(by_suspended.uuid) not in posts
    assert str(product.uuid) not in {hit["uuid"] for hit in body["product"]["results"]}
