"""The marketplace of products: sale status, categories, filters and sorts, saves (찜)."""

from __future__ import annotations

import base64
import json
import threading
from collections.abc import Callable
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone
from pytest_django import DjangoAssertNumQueries, DjangoCaptureOnCommitCallbacks
from rest_framework.test import APIClient

from tangerine.accounts.models import User
from tangerine.products import hooks
from tangerine.products.models import Product, ProductSave
from tangerine.products.services import product_save
from tangerine.products.tracking import popularity_refresh
from tests.factories import ImageFactory, ProductFactory, UserFactory
from tests.support.api import client_for

pytestmark = pytest.mark.django_db

LIST = "/api/products/"


def detail(product: Product) -> str:
    return f"/api/products/{product.uuid}/"


def save_url(product: Product) -> str:
    return f"/api/products/{product.uuid}/save/"


def _uuids(response: object) -> list[str]:
    body = response.json()  # type: ignore[attr-defined]
    return [p["uuid"] for p in body["results"]]


def _walk(client: APIClient, url: str) -> list[str]:
    """Every product of ``url``, following ``next`` links to the end."""
    seen: list[str] = []
    next_url: str | None = url
    while next_url:
        response = client.get(next_url)
        assert response.status_code == 200, response.json()
        seen += _uuids(response)
        next_url = response.json()["next"]
    return seen


# ---- sale status ---------------------------------------------------------------------------


def test_new_products_are_on_sale_and_the_owner_changes_the_status(alice: User) -> None:
    client = client_for(alice)
    body = {"name": "한라봉", "price": 1000, "link": "https://s.example.com/1"}
    created = client.post(LIST, body, format="json").json()
    assert created["status"] == "on_sale"
    assert created["category"] == "other"
    assert created["utm"] is True
    response = client.patch(f"{LIST}{created['uuid']}/", {"status": "reserved"}, format="json")
    assert response.status_code == 200
    assert response.json()["status"] == "reserved"
    # A PUT without status (the web form) keeps it.
    response = client.put(f"{LIST}{created['uuid']}/", body, format="json")
    assert response.json()["status"] == "reserved"


def test_only_the_owner_changes_the_status(alice: User, bob: User) -> None:
    product = ProductFactory.create(owner=alice)
    response = client_for(bob).patch(detail(product), {"status": "sold_out"}, format="json")
    assert response.status_code == 403
    assert Product.objects.get(pk=product.pk).status == "on_sale"


def test_an_unknown_status_is_a_field_error(alice: User) -> None:
    product = ProductFactory.create(owner=alice)
    response = client_for(alice).patch(detail(product), {"status": "gone"}, format="json")
    assert response.status_code == 400
    assert "status" in response.json()["fields"]


def test_list_shows_on_sale_then_reserved_then_sold_out(anon: APIClient, alice: User) -> None:
    sold = ProductFactory.create(owner=alice, status="sold_out")
    on_sale_old = ProductFactory.create(owner=alice)
    reserved = ProductFactory.create(owner=alice, status="reserved")
    on_sale_new = ProductFactory.create(owner=alice)
    response = anon.get(LIST)
    assert _uuids(response) == [str(p.uuid) for p in (on_sale_new, on_sale_old, reserved, sold)]
    assert response.json()["results"][-1]["status"] == "sold_out"


# ---- categories ----------------------------------------------------------------------------


def test_categories_are_a_fixed_translated_list(anon: APIClient) -> None:
    response = anon.get("/api/products/categories/")
    assert response.status_code == 200
    by_code = {c["code"]: c for c in response.json()}
    assert by_code["food"] == {"code": "food", "label_ko": "식품", "label_en": "Food"}
    assert "other" in by_code


def test_a_category_is_chosen_on_create_and_an_unknown_one_is_a_400(alice: User) -> None:
    client = client_for(alice)
    body = {"name": "귤", "price": 1000, "link": "https://s.example.com/1", "category": "food"}
    assert client.post(LIST, body, format="json").json()["category"] == "food"
    response = client.post(LIST, {**body, "category": "spaceships"}, format="json")
    assert response.status_code == 400
    assert "category" in response.json()["fields"]


# ---- filters -------------------------------------------------------------------------------


def test_filters_by_category_status_and_inclusive_price(anon: APIClient, alice: User) -> None:
    cheap = ProductFactory.create(owner=alice, category="food", price=1000)
    mid = ProductFactory.create(owner=alice, category="food", price=2000, status="reserved")
    dear = ProductFactory.create(owner=alice, category="food", price=3000)
    ProductFactory.create(owner=alice, category="books", price=2000)
    assert set(_uuids(anon.get(LIST, {"category": "food"}))) == {
        str(cheap.uuid),
        str(mid.uuid),
        str(dear.uuid),
    }
    assert _uuids(anon.get(LIST, {"category": "food", "status": "reserved"})) == [str(mid.uuid)]
    got = anon.get(LIST, {"category": "food", "min_price": "1000", "max_price": "2000"})
    assert set(_uuids(got)) == {str(cheap.uuid), str(mid.uuid)}


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"min_price": "abc"}, "min_price"),
        ({"max_price": "-1"}, "max_price"),
        ({"min_price": "5000", "max_price": "100"}, "min_price"),
        ({"sort": "cheapest"}, "sort"),
        ({"category": "spaceships"}, "category"),
        ({"status": "gone"}, "status"),
    ],
)
def test_bad_filters_are_a_400_naming_the_parameter(
    anon: APIClient, params: dict[str, str], field: str
) -> None:
    response = anon.get(LIST, params)
    assert response.status_code == 400
    assert field in response.json()["fields"]


def test_an_unreadable_cursor_is_a_404_not_a_500(anon: APIClient) -> None:
    assert anon.get(LIST, {"cursor": "!!not-base64"}).status_code == 404
    assert anon.get(LIST, {"cursor": "WzFd"}).status_code == 404  # [1]: wrong length


def _cursor(values: list[object]) -> str:
    return base64.urlsafe_b64encode(json.dumps(values).encode()).decode().rstrip("=")


@pytest.mark.parametrize(
    ("sort", "values"),
    [
        ("price_asc", ["on_sale", "abc", 1]),  # a price that is not a number
        ("price_asc", [5, 3, 1]),  # a status that is not text
        ("popular", ["on_sale", {"a": 1}, 2]),
        ("popular", ["on_sale", True, 2]),  # a boolean is not a count
        ("price_desc", ["on_sale", 10**30, 1]),  # past 64 bits
        ("latest", ["on_sale", "2020-01-01T00:00:00+00:00", "zz"]),  # an id that is not one
        ("latest", ["on_sale", "2020-01-01T00:00:00", 1]),  # a time without its offset
        ("latest", ["on_sale", 1_600_000_000, 1]),
        ("latest", ["x" * 65, "2020-01-01T00:00:00+00:00", 1]),
        ("latest", ["on\x00sale", "2020-01-01T00:00:00+00:00", 1]),  # NUL: PostgreSQL refuses it
        ("latest", ["\ud800", "2020-01-01T00:00:00+00:00", 1]),  # a lone surrogate
        ("latest", ["on_sale", "0001-01-01T00:00:00+01:00", 1]),  # before the calendar's start
        ("latest", ["on_sale", "9999-12-31T23:59:59-01:00", 1]),  # after its end
    ],
)
def test_a_cursor_with_values_of_the_wrong_type_is_a_404_not_a_500(
    anon: APIClient, sort: str, values: list[object]
) -> None:
    ProductFactory.create()
    response = anon.get(LIST, {"sort": sort, "cursor": _cursor(values)})
    assert response.status_code == 404
    assert response.json()["detail"] == "Invalid cursor."


def test_an_edited_cursor_of_the_right_types_still_pages(anon: APIClient) -> None:
    """The checks refuse types, not values: a cursor past every product is an empty page."""
    ProductFactory.create(price=10)
    response = anon.get(LIST, {"sort": "price_asc", "cursor": _cursor(["sold_out", 2**63 - 1, 1])})
    assert response.status_code == 200
    assert response.json()["results"] == []


def test_the_saved_list_refuses_a_cursor_of_the_wrong_types(make_user: Callable[..., User]) -> None:
    client = client_for(make_user())
    bad: list[list[object]] = [["2020-01-01T00:00:00+00:00", "x"], ["soon", 1], [1, 1]]
    for values in bad:
        response = client.get("/api/products/saved/", {"cursor": _cursor(values)})
        assert response.status_code == 404, values


# ---- sorts and cursors ---------------------------------------------------------------------


@pytest.fixture
def tied_products(alice: User) -> list[Product]:
    """17 products with many ties: 3 prices, 2 popularities, 4 shared timestamps, 3 statuses."""
    stamp = timezone.now() - timedelta(days=1)
    products = [
        ProductFactory.create(
            owner=alice,
            price=[1000, 2000, 3000][i % 3],
            popularity=[0, 5][i % 2],
            status=["on_sale", "on_sale", "reserved", "sold_out"][i % 4],
        )
        for i in range(17)
    ]
    # Several products share a creation time exactly.
    for i, product in enumerate(products):
        Product.objects.filter(pk=product.pk).update(created_at=stamp + timedelta(hours=i % 4))
    return products


_RANK = {"on_sale": 0, "reserved": 1, "sold_out": 2}


@pytest.mark.parametrize(
    ("sort", "key"),
    [
        ("latest", lambda p: (_RANK[p.status], -p.created_at.timestamp(), -p.pk)),
        ("price_asc", lambda p: (_RANK[p.status], p.price, -p.pk)),
        ("price_desc", lambda p: (_RANK[p.status], -p.price, -p.pk)),
        ("popular", lambda p: (_RANK[p.status], -p.popularity, -p.pk)),
    ],
)
@pytest.mark.parametrize("page_size", [1, 3, 4])
def test_sort_cursors_never_skip_or_repeat_with_ties(
    anon: APIClient,
    tied_products: list[Product],
    sort: str,
    key: Callable[[Product], tuple[float, ...]],
    page_size: int,
) -> None:
    expected = [str(p.uuid) for p in sorted(Product.objects.all(), key=key)]
    seen = _walk(anon, f"{LIST}?sort={sort}&page_size={page_size}")
    assert seen == expected
    assert len(set(seen)) == 17


def test_cursors_keep_filters_and_sort(anon: APIClient, tied_products: list[Product]) -> None:
    seen = _walk(anon, f"{LIST}?sort=price_desc&min_price=2000&page_size=2")
    expected = Product.objects.filter(price__gte=2000).count()
    assert len(seen) == len(set(seen)) == expected


def test_a_product_added_while_paging_is_neither_skipped_nor_repeated(
    anon: APIClient, alice: User
) -> None:
    for price in (100, 200, 300, 400):
        ProductFactory.create(owner=alice, price=price)
    first = anon.get(LIST, {"sort": "price_asc", "page_size": "2"}).json()
    ProductFactory.create(owner=alice, price=50)  # sorts before the cursor: not shown again
    rest = _walk(anon, first["next"])
    assert [p["price"] for p in first["results"]] + [
        Product.objects.get(uuid=u).price for u in rest
    ] == [100, 200, 300, 400]


def test_popular_counts_saves_and_click_outs_of_the_last_seven_days(
    anon: APIClient, alice: User, bob: User, carol: User
) -> None:
    quiet = ProductFactory.create(owner=alice)
    saved_long_ago = ProductFactory.create(owner=alice)
    saved_twice = ProductFactory.create(owner=alice)
    product_save(user=bob, product=saved_twice)
    product_save(user=carol, product=saved_twice)
    product_save(user=bob, product=saved_long_ago)
    ProductSave.objects.filter(product=saved_long_ago).update(
        created_at=timezone.now() - timedelta(days=8)
    )
    popularity_refresh()
    assert _uuids(anon.get(LIST, {"sort": "popular"})) == [
        str(saved_twice.uuid),
        str(saved_long_ago.uuid),  # 0 now, as quiet: the tie goes to the newer product
        str(quiet.uuid),
    ]
    assert Product.objects.get(pk=saved_long_ago.pk).popularity == 0
    assert Product.objects.get(pk=saved_twice.pk).popularity == 2


@pytest.mark.parametrize("rows", [3, 15])
def test_filtered_list_query_count_is_constant(
    alice: User, bob: User, rows: int, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    for i in range(rows):
        product = ProductFactory.create(owner=alice, category="food", price=1000 + i)
        product.images.add(ImageFactory.create(owner=alice), through_defaults={"position": 0})
        if i % 2:
            product_save(user=bob, product=product)
    client = client_for(bob)
    # 1 the viewer (JWT), 2 the page of products with owners, block/mute checks and the
    # viewer's saved flag (EXISTS subqueries) and their images (a JSON column).
    with django_assert_num_queries(2):
        response = client.get(LIST, {"category": "food", "sort": "price_desc", "min_price": "0"})
    results = response.json()["results"]
    assert len(results) == rows
    assert sum(p["saved"] for p in results) == rows // 2
    assert all(len(p["images"]) == 1 for p in results)


# ---- saves ---------------------------------------------------------------------------------


def test_saving_twice_is_harmless_and_tells_the_seller_once(
    alice: User,
    bob: User,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    sent: list[hooks.ProductSaved] = []
    monkeypatch.setattr(hooks.product_saved, "receivers", [sent.append])
    product = ProductFactory.create(owner=alice)
    client = client_for(bob)
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(save_url(product))
    assert first.status_code == 201
    assert (first.json()["saved"], first.json()["save_count"]) == (True, 1)
    with django_capture_on_commit_callbacks(execute=True):
        second = client.post(save_url(product))
    assert second.status_code == 200
    assert second.json()["save_count"] == 1
    assert sent == [hooks.ProductSaved(product_id=product.pk, user_id=bob.pk)]
    assert ProductSave.objects.count() == 1
    # Others see the count but not as their own save.
    other = client_for(alice).get(detail(product)).json()
    assert (other["saved"], other["save_count"]) == (False, 1)


def test_unsaving_twice_is_harmless(alice: User, bob: User) -> None:
    product = ProductFactory.create(owner=alice)
    client = client_for(bob)
    client.post(save_url(product))
    for _ in range(2):
        response = client.delete(save_url(product))
        assert response.status_code == 200
        assert (response.json()["saved"], response.json()["save_count"]) == (False, 0)
    assert not ProductSave.objects.exists()


def test_saving_needs_an_account(anon: APIClient, alice: User) -> None:
    product = ProductFactory.create(owner=alice)
    assert anon.post(save_url(product)).status_code == 401
    assert anon.delete(save_url(product)).status_code == 401
    assert anon.get("/api/products/saved/").status_code == 401


def test_saving_a_product_one_cannot_see_is_a_404(alice: User, bob: User) -> None:
    hidden = ProductFactory.create(owner=alice, hidden_at=timezone.now())
    assert client_for(bob).post(save_url(hidden)).status_code == 404
    assert client_for(bob).post("/api/products/not-a-uuid/save/").status_code == 404


def test_the_losing_insert_of_a_race_is_harmless(alice: User, bob: User) -> None:
    """The IntegrityError path of a race, run in order: the second insert finds the first."""
    product = ProductFactory.create(owner=alice)
    assert product_save(user=bob, product=product) is True
    assert product_save(user=bob, product=product) is False
    assert Product.objects.get(pk=product.pk).save_count == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_saves_of_one_user_count_once() -> None:
    seller, buyer = UserFactory.create(), UserFactory.create()
    product = ProductFactory.create(owner=seller)
    barrier = threading.Barrier(6)
    results: list[int] = []

    def save() -> None:
        try:
            barrier.wait()
            results.append(client_for(buyer).post(save_url(product)).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=save) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == [200] * 5 + [201]
    assert Product.objects.get(pk=product.pk).save_count == 1


def test_my_saved_list_is_newest_save_first_and_pages_without_repeats(
    alice: User, bob: User
) -> None:
    products = [ProductFactory.create(owner=alice) for _ in range(5)]
    for product in (products[2], products[0], products[4], products[1]):
        product_save(user=bob, product=product)
    ProductSave.objects.update(created_at=timezone.now())  # all tied: the save id decides
    product_save(user=alice, product=products[3])  # someone else's save
    client = client_for(bob)
    seen = _walk(client, "/api/products/saved/?page_size=1")
    assert seen == [str(p.uuid) for p in (products[1], products[4], products[0], products[2])]
    assert all(p["saved"] for p in client.get("/api/products/saved/").json()["results"])


@pytest.mark.parametrize("rows", [3, 15])
def test_saved_list_query_count_is_constant(
    alice: User, bob: User, rows: int, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    for _ in range(rows):
        product = ProductFactory.create(owner=alice)
        product.images.add(ImageFactory.create(owner=alice), through_defaults={"position": 0})
        product_save(user=bob, product=product)
    client = client_for(bob)
    # 1 the viewer (JWT), 2 the page of products with the save's time and id and their images.
    with django_assert_num_queries(2):
        response = client.get("/api/products/saved/")
    assert len(response.json()["results"]) == rows
