"""POST /api/events/: validation, views counted once per viewer and hour, rate limit."""

from __future__ import annotations

import uuid

import pytest
from django.utils import timezone

from tangerine.accounts.models import Block
from tangerine.search.models import Event


def test_an_anonymous_view_is_stored_and_counted_once_per_hour(alice, anon, make_post):
    post = make_post(author=alice, text="hello")
    body = {"target": str(post.uuid), "kind": "post", "dwell_ms": 4200}
    assert anon.post("/api/events/", body).status_code == 202
    assert anon.post("/api/events/", body).status_code == 202
    post.refresh_from_db()
    assert post.view_count == 1
    assert list(Event.objects.values_list("dwell_ms", "user_id")) == [(4200, None), (4200, None)]


def test_a_batch_of_posts_and_products_from_a_user(alice, bob, as_user, make_post, make_product):
    post = make_post(author=alice, text="hello")
    product = make_product(owner=alice, name="mug")
    events = [
        {"target": str(post.uuid), "kind": "post", "dwell_ms": 1000, "type": "dwell"},
        {"target": str(product.uuid), "kind": "product", "dwell_ms": 0, "type": "view"},
        {"target": str(post.uuid), "kind": "post", "dwell_ms": 9000},
    ]
    assert as_user(bob).post("/api/events/", events).status_code == 202
    post.refresh_from_db()
    product.refresh_from_db()
    assert (post.view_count, product.view_count) == (1, 1)
    assert Event.objects.filter(user=bob).count() == 3
    # Another viewer counts again.
    as_user(alice).post("/api/events/", events[:1])
    post.refresh_from_db()
    assert post.view_count == 2


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"dwell_ms": -1}, "dwell_ms"),
        ({"dwell_ms": 3_600_001}, "dwell_ms"),
        ({"dwell_ms": "long"}, "dwell_ms"),
        ({"kind": "comment"}, "kind"),
        ({"target": "not-a-uuid"}, "target"),
        ({"target": None}, "target"),
    ],
)
def test_bad_events_are_400_with_a_field_message(alice, anon, make_post, change, field):
    post = make_post(author=alice, text="hello")
    body = {"target": str(post.uuid), "kind": "post", "dwell_ms": 10} | change
    response = anon.post("/api/events/", body)
    assert response.status_code == 400
    assert field in response.json()["fields"]
    assert not Event.objects.exists()


def test_unknown_hidden_draft_or_blocked_targets_are_400(alice, bob, as_user, make_post):
    hidden = make_post(author=alice, text="x", hidden_at=timezone.now())
    draft = make_post(author=alice, text="x", status="draft")
    Block.objects.create(blocker=alice, blocked=bob)
    blocked = make_post(author=alice, text="x")
    for target, kind in [(uuid.uuid4(), "post"), (hidden.uuid, "post"), (draft.uuid, "post"),
                         (blocked.uuid, "post"), (blocked.uuid, "product")]:  # fmt: skip
        response = as_user(bob).post("/api/events/", {"target": str(target), "kind": kind})
        assert response.status_code == 400
        assert response.json()["fields"] == {"target": [f"No {kind} with this uuid."]}
    assert not Event.objects.exists()


def test_a_batch_names_the_bad_item_and_stores_nothing(alice, anon, make_post):
    post = make_post(author=alice, text="hello")
    good = {"target": str(post.uuid), "kind": "post", "dwell_ms": 10}
    bad = {"target": str(uuid.uuid4()), "kind": "post", "dwell_ms": 10}
    response = anon.post("/api/events/", [good, bad])
    assert response.status_code == 400
    assert response.json()["fields"] == {"1.target": ["No post with this uuid."]}
    assert not Event.objects.exists()


def test_batch_size_limits(alice, anon, make_post):
    post = make_post(author=alice, text="hello")
    good = {"target": str(post.uuid), "kind": "post", "dwell_ms": 10}
    assert anon.post("/api/events/", [good] * 51).status_code == 400
    assert anon.post("/api/events/", []).status_code == 400
    assert anon.post("/api/events/", [good] * 50).status_code == 202


def test_events_are_rate_limited_per_viewer(alice, anon, make_post, settings):
    settings.AUTH_RATE_LIMITS = {**settings.AUTH_RATE_LIMITS, "events": "3/60"}
    post = make_post(author=alice, text="hello")
    body = {"target": str(post.uuid), "kind": "post"}
    codes = [anon.post("/api/events/", body).status_code for _ in range(4)]
    assert codes == [202, 202, 202, 429]


def test_query_count_of_a_batch_does_not_grow(
    alice, bob, as_user, make_post, make_product, django_assert_num_queries
):
    posts = [make_post(author=alice, text=f"p{i}") for i in range(10)]
    products = [make_product(owner=alice, name=f"p{i}") for i in range(10)]
    client = as_user(bob)
    for n in (2, 10):
        events = [{"target": str(p.uuid), "kind": "post", "dwell_ms": 5} for p in posts[:n]]
        events += [{"target": str(p.uuid), "kind": "product"} for p in products[:n]]
        # auth, resolve posts, resolve products, insert events, one view update per kind.
        with django_assert_num_queries(6):
            assert client.post("/api/events/", events).status_code == 202
        with django_assert_num_queries(4):  # all views already counted this hour
            assert client.post("/api/events/", events).status_code == 202
    assert {p.view_count for p in type(posts[0]).objects.filter(pk__in=[p.pk for p in posts])} == {
        1
    }
