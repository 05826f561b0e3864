"""Click-outs, view counting and seller insights."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone
from pytest_django import DjangoAssertNumQueries
from rest_framework.test import APIClient

from tangerine.accounts.models import User
from tangerine.products.models import Product, ProductClickOut, ProductSave, ProductView
from tangerine.products.services import product_save
from tests.factories import ProductFactory, UserFactory
from tests.support.api import client_for

pytestmark = pytest.mark.django_db


def out(product: Product) -> str:
    return f"/api/products/{product.uuid}/out/"


def insights(product: Product) -> str:
    return f"/api/products/{product.uuid}/insights/"


ME = "/api/accounts/me/insights/"


# ---- click-outs ----------------------------------------------------------------------------


def test_click_out_redirects_to_the_store_with_utm(anon: APIClient, alice: User) -> None:
    product = ProductFactory.create(owner=alice, link="https://s.example.com/p?id=7&utm_source=x")
    response = anon.get(out(product))
    assert response.status_code == 302
    assert response["Location"] == "https://s.example.com/p?id=7&utm_source=tangerine"


def test_click_out_without_utm_when_the_seller_turned_it_off(anon: APIClient, alice: User) -> None:
    product = ProductFactory.create(owner=alice, link="https://s.example.com/p/1", utm=False)
    assert anon.get(out(product))["Location"] == "https://s.example.com/p/1"


def test_one_click_counts_per_viewer_and_day_without_storing_the_address(
    alice: User, bob: User
) -> None:
    product = ProductFactory.create(owner=alice)
    for _ in range(3):
        client_for(bob).get(out(product))
    APIClient(REMOTE_ADDR="203.0.113.9").get(out(product))
    APIClient(REMOTE_ADDR="203.0.113.9").get(out(product))
    APIClient(REMOTE_ADDR="198.51.100.4").get(out(product))
    client_for(alice).get(out(product))  # the owner's own click: not counted
    assert ProductClickOut.objects.filter(product=product).count() == 3
    stored = list(ProductClickOut.objects.values_list("viewer", flat=True))
    assert not any("203.0.113.9" in v or "198.51" in v for v in stored)
    assert all(len(v) == 32 for v in stored)
    assert Product.objects.get(pk=product.pk).popularity == 3


def test_click_out_of_a_hidden_or_unknown_product_is_a_404(anon: APIClient, alice: User) -> None:
    hidden = ProductFactory.create(owner=alice, hidden_at=timezone.now())
    assert anon.get(out(hidden)).status_code == 404
    assert anon.get("/api/products/nope/out/").status_code == 404


# ---- views ---------------------------------------------------------------------------------


def test_views_count_once_per_viewer_a_day_and_never_the_owner(
    anon: APIClient, alice: User, bob: User
) -> None:
    product = ProductFactory.create(owner=alice)
    url = f"/api/products/{product.uuid}/"
    for _ in range(3):
        assert client_for(bob).get(url).status_code == 200
        assert anon.get(url).status_code == 200
        assert client_for(alice).get(url).status_code == 200
    assert ProductView.objects.filter(product=product).count() == 2


def test_a_detail_view_costs_one_write(
    bob: User, alice: User, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    product = ProductFactory.create(owner=alice)
    client = client_for(bob)
    # 1 the viewer (JWT), 2 the product with its images, 3 INSERT ... ON CONFLICT of the view.
    with django_assert_num_queries(3):
        assert client.get(f"/api/products/{product.uuid}/").status_code == 200


# ---- insights ------------------------------------------------------------------------------


def _activity(product: Product, day: date, *, views: int, clicks: int, saves: int) -> None:
    ProductView.objects.bulk_create(
        ProductView(product=product, day=day, viewer=f"v{i}") for i in range(views)
    )
    ProductClickOut.objects.bulk_create(
        ProductClickOut(product=product, day=day, viewer=f"v{i}") for i in range(clicks)
    )
    for _ in range(saves):
        ProductSave.objects.create(product=product, user=UserFactory.create(), day=day)


def test_the_owner_sees_totals_and_days(alice: User) -> None:
    product = ProductFactory.create(owner=alice)
    today = timezone.localdate()
    _activity(product, today, views=4, clicks=1, saves=2)
    _activity(product, today - timedelta(days=2), views=6, clicks=2, saves=0)
    _activity(product, today - timedelta(days=40), views=9, clicks=9, saves=9)  # out of range
    response = client_for(alice).get(insights(product))
    assert response.status_code == 200
    body = response.json()
    assert body["product"]["uuid"] == str(product.uuid)
    assert body["from"] == (today - timedelta(days=29)).isoformat()
    assert body["to"] == today.isoformat()
    assert body["totals"] == {
        "views": 10,
        "unique_viewers": 6,  # v0 … v5 across the days
        "click_outs": 3,
        "saves": 2,
        "chats": 0,
        "click_through_rate": 0.3,
    }
    assert len(body["days"]) == 30
    assert body["days"][-1] == {
        "date": today.isoformat(),
        "views": 4,
        "click_outs": 1,
        "saves": 2,
        "chats": 0,
        "click_through_rate": 0.25,
    }
    assert body["days"][0]["views"] == 0


def test_staff_see_insights_and_others_get_404(
    anon: APIClient, alice: User, bob: User, mod: User
) -> None:
    product = ProductFactory.create(owner=alice, hidden_at=timezone.now())
    assert client_for(mod).get(insights(product)).status_code == 200
    assert client_for(alice).get(insights(product)).status_code == 200
    assert client_for(bob).get(insights(product)).status_code == 404
    assert client_for(bob).get("/api/products/not-a-uuid/insights/").status_code == 404
    assert anon.get(insights(product)).status_code == 401
    assert anon.get(ME).status_code == 401


@pytest.mark.parametrize(
    "params",
    [
        {"from": "2026-03-02", "to": "2026-03-01"},
        {"from": "2024-01-01", "to": "2026-01-01"},
        {"from": "yesterday"},
        {"to": "2026-02-30"},
    ],
)
def test_bad_ranges_are_a_400(alice: User, params: dict[str, str]) -> None:
    product = ProductFactory.create(owner=alice)
    for url in (insights(product), ME):
        response = client_for(alice).get(url, params)
        assert response.status_code == 400, response.json()
        assert set(response.json()["fields"]) <= {"from", "to"}


def test_a_range_of_a_full_year_is_allowed(alice: User) -> None:
    product = ProductFactory.create(owner=alice)
    response = client_for(alice).get(insights(product), {"from": "2025-01-01", "to": "2025-12-31"})
    assert response.status_code == 200
    assert len(response.json()["days"]) == 365


def test_saves_made_through_the_api_show_in_insights(alice: User, bob: User) -> None:
    product = ProductFactory.create(owner=alice)
    product_save(user=bob, product=product)
    assert client_for(alice).get(insights(product)).json()["totals"]["saves"] == 1


def test_my_insights_sum_my_products_and_rank_the_top_ones(alice: User, bob: User) -> None:
    today = timezone.localdate()
    quiet, busy, busier = (ProductFactory.create(owner=alice) for _ in range(3))
    others = ProductFactory.create(owner=bob)
    _activity(busy, today, views=3, clicks=1, saves=0)
    _activity(busier, today, views=5, clicks=1, saves=1)
    _activity(others, today, views=50, clicks=50, saves=0)
    body = client_for(alice).get(ME).json()
    assert body["totals"]["views"] == 8
    assert body["totals"]["click_outs"] == 2
    assert body["totals"]["unique_viewers"] == 5
    assert [t["product"]["uuid"] for t in body["top_products"]] == [
        str(busier.uuid),
        str(busy.uuid),
    ]
    assert body["top_products"][0]["click_through_rate"] == 0.2
    assert str(quiet.uuid) not in {t["product"]["uuid"] for t in body["top_products"]}


@pytest.mark.parametrize("products", [1, 6])
def test_insights_answer_in_constant_queries(
    alice: User, products: int, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    today = timezone.localdate()
    made = [ProductFactory.create(owner=alice) for _ in range(products)]
    for i, product in enumerate(made):
        for back in range(products):
            _activity(product, today - timedelta(days=back), views=i + 1, clicks=1, saves=1)
    client = client_for(alice)
    # 1 the viewer (JWT), 2 the product, 3 views, 4 click-outs, 5 saves by day, 6 chats by day
    # (the chats app's registered counter), 7 distinct viewers.
    with django_assert_num_queries(7):
        assert client.get(insights(made[0])).status_code == 200
    # 1 the viewer, 2 views, 3 click-outs, 4 saves by product and day, 5 chats by product and
    # day, 6 distinct viewers, 7 the top products' rows.
    with django_assert_num_queries(7):
        assert client.get(ME).status_code == 200


def test_chats_come_from_the_registered_counter(
    alice: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The chats app (above products) registers the room counter; its rows land in the days."""
    from tangerine.products import insights as insights_module

    product = ProductFactory.create(owner=alice)
    today = timezone.localdate()
    asked: list[tuple[list[int], object, object]] = []

    def counter(products: object, since: object, until: object) -> list[tuple[int, date, int]]:
        asked.append((list(products.values_list("pk", flat=True)), since, until))  # type: ignore[attr-defined]
        return [(product.pk, today, 2)]

    monkeypatch.setattr(insights_module, "_chat_counters", [])
    insights_module.chat_counter_register(counter)
    body = client_for(alice).get(insights(product)).json()
    assert body["totals"]["chats"] == 2
    assert body["days"][-1]["chats"] == 2
    assert asked[0][0] == [product.pk]
