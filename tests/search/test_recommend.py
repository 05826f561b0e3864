"""GET /api/posts/recommend/ and search.selectors.product_recommendations."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from tangerine.posts.models import Comment, PostLike
from tangerine.search import selectors
from tangerine.search.models import Event


def uuids(body: dict) -> list[str]:
    return [r["uuid"] for r in body["results"]]


def test_visitors_get_popular_recent_posts(alice, bob, anon, make_post):
    quiet = make_post(author=alice, text="quiet")
    loud = make_post(author=bob, text="loud", like_count=9)
    old = make_post(author=bob, text="old and famous", like_count=99)
    type(old).objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=60))
    make_post(author=bob, text="draft", status="draft", like_count=50)
    body = anon.get("/api/posts/recommend/").json()
    assert body["personal"] is False
    assert uuids(body) == [str(loud.uuid), str(quiet.uuid)]
    assert body["results"][0]["reason"] == {"kind": "popular", "item": None}


def test_a_user_with_likes_gets_nearest_unseen_posts_with_a_reason(
    alice, bob, carol, as_user, make_post
):
    liked = make_post(author=bob, title="sourdough bread", text="sourdough bread baking starter")
    similar = make_post(
        author=carol, title="sourdough starter", text="bread starter tips sourdough"
    )
    unrelated = make_post(author=carol, title="gpu", text="graphics card benchmark", like_count=50)
    own = make_post(author=alice, title="my sourdough", text="sourdough bread starter")
    PostLike.objects.create(user=alice, post=liked)
    body = as_user(alice).get("/api/posts/recommend/").json()
    assert body["personal"] is True and body["degraded"] is False
    got = uuids(body)
    assert got[0] == str(similar.uuid)
    assert str(liked.uuid) not in got and str(own.uuid) not in got  # seen and own left out
    assert str(unrelated.uuid) in got  # popular items fill the rest
    assert body["results"][0]["reason"] == {
        "kind": "liked",
        "item": {"kind": "post", "uuid": str(liked.uuid), "title": "sourdough bread"},
    }


def test_dwell_time_and_comments_shape_the_taste(alice, bob, carol, as_user, make_post):
    read = make_post(author=bob, title="marathon training", text="marathon running plan")
    commented = make_post(author=bob, title="ramen", text="spicy ramen recipe noodles")
    running = make_post(author=carol, title="running shoes", text="marathon running shoes")
    noodles = make_post(author=carol, title="noodles", text="ramen noodles recipe")
    Event.objects.create(user=alice, viewer_key="u", kind="post", object_id=read.pk, dwell_ms=60000)
    Comment.objects.create(post=commented, author=alice, text="yum")
    body = as_user(alice).get("/api/posts/recommend/").json()
    reasons = {r["uuid"]: r["reason"] for r in body["results"]}
    assert reasons[str(running.uuid)]["kind"] == "dwelled"
    assert reasons[str(running.uuid)]["item"]["uuid"] == str(read.uuid)
    assert reasons[str(noodles.uuid)]["kind"] == "commented"
    assert str(read.uuid) not in reasons and str(commented.uuid) not in reasons


def test_short_glances_do_not_make_a_taste(alice, bob, as_user, make_post):
    glanced = make_post(author=bob, text="glanced")
    Event.objects.create(
        user=alice, viewer_key="u", kind="post", object_id=glanced.pk, dwell_ms=500
    )
    body = as_user(alice).get("/api/posts/recommend/").json()
    assert body["personal"] is False
    assert uuids(body) == []  # the only other post was seen


def test_blocked_and_hidden_posts_are_never_recommended(alice, bob, carol, as_user, make_post):
    from tangerine.accounts.models import Block

    liked = make_post(author=carol, title="kimchi", text="kimchi recipe")
    make_post(author=bob, title="kimchi stew", text="kimchi recipe stew")
    hidden = make_post(author=carol, title="kimchi pancake", text="kimchi recipe pancake")
    type(hidden).objects.filter(pk=hidden.pk).update(hidden_at=timezone.now())
    PostLike.objects.create(user=alice, post=liked)
    Block.objects.create(blocker=alice, blocked=bob)
    assert uuids(as_user(alice).get("/api/posts/recommend/").json()) == []


def test_vector_store_down_falls_back_to_popular(alice, bob, as_user, make_post, milvus_down):
    liked = make_post(author=bob, text="liked")
    other = make_post(author=bob, text="other")
    PostLike.objects.create(user=alice, post=liked)
    body = as_user(alice).get("/api/posts/recommend/").json()
    assert body["degraded"] is True and body["personal"] is False
    assert uuids(body) == [str(other.uuid)]


def test_product_recommendations_follow_post_taste(alice, bob, carol, make_post, make_product):
    liked = make_post(author=bob, title="espresso", text="espresso coffee beans grinder")
    grinder = make_product(
        owner=carol, name="coffee grinder", description="espresso coffee grinder"
    )
    popular = make_product(owner=carol, name="yoga mat", description="mat", like_count=30)
    make_product(owner=alice, name="my espresso cup", description="espresso coffee")
    PostLike.objects.create(user=alice, post=liked)
    recs = selectors.product_recommendations(viewer=alice, limit=10)
    assert [r.obj.pk for r in recs] == [grinder.pk, popular.pk]
    assert recs[0].reason["kind"] == "liked" and recs[1].reason["kind"] == "popular"
    # An anonymous viewer is None (the Viewer type of the selectors).
    assert [r.obj.pk for r in selectors.product_recommendations(viewer=None, limit=1)] == [
        popular.pk
    ]


def test_paging_and_query_counts(alice, bob, carol, as_user, make_post, django_assert_num_queries):
    for n in (3, 15):
        for i in range(n):
            post = make_post(author=carol, title=f"camera {i}", text="film camera lens")
            if i == 0:
                PostLike.objects.create(user=alice, post=post)
        client = as_user(alice)
        # auth, likes, comments, events, visible filter, popular fill, cards, images, reasons.
        with django_assert_num_queries(9):
            body = client.get("/api/posts/recommend/", {"page_size": 1}).json()
        assert len(body["results"]) == 1 and body["next"]


def test_visitor_query_count(alice, anon, make_post, django_assert_num_queries):
    for n in (3, 15):
        for i in range(n):
            make_post(author=alice, text=f"post {i}")
        with django_assert_num_queries(3):  # popular ids, cards, images
            assert len(anon.get("/api/posts/recommend/").json()["results"]) in (3, 18)


# --- GET /api/products/recommend/ ----------------------------------------------------------------


def test_product_recommend_is_personal_for_a_user_with_a_taste(
    alice, bob, carol, as_user, make_post, make_product
):
    liked = make_post(author=bob, title="espresso", text="espresso coffee beans grinder")
    grinder = make_product(owner=carol, name="coffee grinder", description="espresso grinder")
    mat = make_product(owner=carol, name="yoga mat", description="mat", like_count=30)
    mine = make_product(owner=alice, name="espresso cup", description="espresso coffee")
    PostLike.objects.create(user=alice, post=liked)
    response = as_user(alice).get("/api/products/recommend/")
    assert response.status_code == 200
    body = response.json()
    assert body["personal"] is True and body["degraded"] is False
    assert uuids(body) == [str(grinder.uuid), str(mat.uuid)]
    assert str(mine.uuid) not in uuids(body)
    first = body["results"][0]
    # The full product the web app already renders, plus score and reason.
    assert {"description", "images", "link", "view_count", "updated_at", "owner"} <= set(first)
    assert first["score"] > 0
    assert first["reason"] == {
        "kind": "liked",
        "item": {"kind": "post", "uuid": str(liked.uuid), "title": "espresso"},
    }
    assert body["results"][1]["reason"] == {"kind": "popular", "item": None}
    assert body["count"] == 2 and body["next"] is None and body["previous"] is None


def test_product_recommend_for_visitors_and_new_users_is_popular(
    alice, bob, anon, as_user, make_product
):
    quiet = make_product(owner=alice, name="quiet")
    loud = make_product(owner=alice, name="loud", like_count=5)
    for client in (anon, as_user(bob)):
        body = client.get("/api/products/recommend/").json()
        assert body["personal"] is False and body["degraded"] is False
        assert uuids(body) == [str(loud.uuid), str(quiet.uuid)]
        assert {r["reason"]["kind"] for r in body["results"]} == {"popular"}
        assert [r["score"] for r in body["results"]] == [0.0, 0.0]


def test_product_recommend_degrades_to_popular_when_the_vector_store_is_down(
    alice, bob, as_user, make_post, make_product, milvus_down
):
    PostLike.objects.create(user=alice, post=make_post(author=bob, text="liked"))
    product = make_product(owner=bob, name="anything")
    body = as_user(alice).get("/api/products/recommend/").json()
    assert body["degraded"] is True and body["personal"] is False
    assert uuids(body) == [str(product.uuid)]


def test_product_recommend_pages_and_rejects_bad_paging(alice, bob, anon, make_product):
    for i in range(5):
        make_product(owner=alice, name=f"item {i}", like_count=i)
    first = anon.get("/api/products/recommend/", {"page_size": 2}).json()
    assert first["count"] == 5 and len(first["results"]) == 2
    rest = (
        anon.get(first["next"]).json()["results"]
        + anon.get(anon.get(first["next"]).json()["next"]).json()["results"]
    )
    assert len({*uuids(first), *(r["uuid"] for r in rest)}) == 5
    assert anon.get("/api/products/recommend/", {"page_size": 0}).status_code == 400
    assert anon.get("/api/products/recommend/", {"page": "x"}).status_code == 400


def test_product_recommend_query_count_is_constant(
    alice, bob, carol, as_user, make_post, make_product, django_assert_num_queries
):
    liked = make_post(author=bob, title="film camera", text="film camera lens")
    PostLike.objects.create(user=alice, post=liked)
    client = as_user(alice)
    for n in (3, 15):
        for i in range(n):
            make_product(owner=carol, name=f"camera {i}", description="film camera lens")
        # auth, likes, comments, events, visible filter, popular fill, cards, images, reasons.
        with django_assert_num_queries(9):
            body = client.get("/api/products/recommend/", {"page_size": 50}).json()
        assert body["personal"] is True and len(body["results"]) in (3, 18)
