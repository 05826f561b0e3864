from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone
from pytest_django import DjangoAssertNumQueries, DjangoCaptureOnCommitCallbacks
from rest_framework.test import APIClient

from tangerine.accounts.models import Block, Mute, User
from tangerine.core import exports
from tangerine.images.models import Image
from tangerine.products.models import PRICE_MAX, Product
from tests.factories import ImageFactory, ProductFactory

pytestmark = pytest.mark.django_db

LIST = "/api/products/"


def detail(product: Product | str) -> str:
    return f"/api/products/{getattr(product, 'uuid', product)}/"


def _body(**overrides: object) -> dict[str, object]:
    body: dict[str, object] = {
        "name": "제주 한라봉 3kg",
        "description": "Hallabong from Jeju, picked this week.",
        "price": 29900,
        "link": "https://store.example.com/p/hallabong-3kg",
    }
    body.update(overrides)
    return body


# ---- create -----------------------------------------------------------------------------


def test_owner_creates_a_product_with_images_in_order(
    as_user: Callable[[User], APIClient], alice: User
) -> None:
    first, second = ImageFactory.create(owner=alice), ImageFactory.create(owner=alice)
    response = as_user(alice).post(
        LIST, _body(images=[str(second.uuid), str(first.uuid)]), format="json"
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["name"] == "제주 한라봉 3kg"
    assert body["price"] == 29900
    assert body["currency"] == "KRW"  # the default
    assert body["owner"] == {
        "handle": "alice",
        "display_name": "Alice 앨리스",
        "profile_image": None,
    }
    assert [img["uuid"] for img in body["images"]] == [str(second.uuid), str(first.uuid)]
    assert body["images"][0]["variants"][0]["url"].endswith(f"images/{second.uuid}/1080w.jpg")
    assert body["like_count"] == 0
    assert body["created_at"] and body["updated_at"]
    assert Product.objects.get(uuid=body["uuid"]).owner == alice


def test_anonymous_cannot_create_a_product(anon: APIClient) -> None:
    assert anon.post(LIST, _body(), format="json").status_code == 401


def test_client_cannot_write_owner_or_counters(
    as_user: Callable[[User], APIClient], alice: User, bob: User
) -> None:
    response = as_user(alice).post(
        LIST, _body(owner="bob", like_count=99, view_count=5, hidden_at="2020-01-01"), format="json"
    )
    assert response.status_code == 201
    product = Product.objects.get(uuid=response.json()["uuid"])
    assert (product.owner, product.like_count, product.view_count, product.hidden_at) == (
        alice,
        0,
        0,
        None,
    )


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("price", -1),
        ("price", PRICE_MAX + 1),
        ("price", "12,900"),
        ("currency", "XYZ"),
        ("currency", "krw"),
        ("link", "javascript:alert(1)"),
        ("link", "ftp://store.example.com/x"),
        ("link", "not a url"),
        ("link", "https://store.example.com/" + "a" * 1000),
        ("name", ""),
        ("name", "n" * 101),
        ("description", "d" * 3001),
        ("images", ["not-a-uuid"]),
    ],
)
def test_bad_product_input_is_a_400_naming_the_field(
    as_user: Callable[[User], APIClient], alice: User, field: str, value: object
) -> None:
    response = as_user(alice).post(LIST, _body(**{field: value}), format="json")
    assert response.status_code == 400, response.json()
    assert field in response.json()["fields"]
    assert not Product.objects.exists()


def test_missing_required_fields_are_each_named(
    as_user: Callable[[User], APIClient], alice: User
) -> None:
    response = as_user(alice).post(LIST, {}, format="json")
    assert response.status_code == 400
    assert {"name", "price", "link"} <= set(response.json()["fields"])


def test_images_must_be_own_not_failed_and_at_most_ten(
    as_user: Callable[[User], APIClient], alice: User, bob: User
) -> None:
    client = as_user(alice)
    bobs = ImageFactory.create(owner=bob)
    failed = ImageFactory.create(owner=alice, status=Image.Status.FAILED)
    eleven = [str(ImageFactory.create(owner=alice).uuid) for _ in range(11)]
    for images in ([str(bobs.uuid)], [str(failed.uuid)], eleven):
        response = client.post(LIST, _body(images=images), format="json")
        assert response.status_code == 400, images
        assert "images" in response.json()["fields"]
    assert not Product.objects.exists()


def test_price_and_currency_accept_the_bounds(
    as_user: Callable[[User], APIClient], alice: User
) -> None:
    client = as_user(alice)
    assert client.post(LIST, _body(price=0), format="json").status_code == 201
    response = client.post(LIST, _body(price=PRICE_MAX, currency="USD"), format="json")
    assert response.status_code == 201
    assert (response.json()["price"], response.json()["currency"]) == (PRICE_MAX, "USD")


# ---- read -------------------------------------------------------------------------------


def test_anyone_reads_a_product(anon: APIClient, alice: User) -> None:
    product = ProductFactory.create(owner=alice)
    response = anon.get(detail(product))
    assert response.status_code == 200
    assert response.json()["uuid"] == str(product.uuid)
    assert "email" not in str(response.json())


@pytest.mark.parametrize("bad", ["not-a-uuid", "00000000-0000-0000-0000-000000000000"])
def test_unknown_or_malformed_uuid_is_404(anon: APIClient, bad: str) -> None:
    response = anon.get(detail(bad))
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_hidden_products_and_suspended_owners_are_404(
    anon: APIClient, as_user: Callable[[User], APIClient], alice: User, bob: User, mod: User
) -> None:
    hidden = ProductFactory.create(owner=alice, hidden_at=timezone.now())
    assert anon.get(detail(hidden)).status_code == 404
    assert as_user(alice).get(detail(hidden)).status_code == 404
    assert as_user(mod).get(detail(hidden)).status_code == 200  # staff moderate it
    of_suspended = ProductFactory.create(owner=bob)
    bob.suspended_at = timezone.now()
    bob.save()
    assert anon.get(detail(of_suspended)).status_code == 404
    assert of_suspended.uuid not in [p["uuid"] for p in anon.get(LIST).json()["results"]]


def test_blocks_hide_products_both_ways(
    as_user: Callable[[User], APIClient], alice: User, bob: User
) -> None:
    product = ProductFactory.create(owner=alice)
    Block.objects.create(blocker=alice, blocked=bob)
    assert as_user(bob).get(detail(product)).status_code == 404
    assert as_user(bob).get(LIST).json()["results"] == []
    bobs = ProductFactory.create(owner=bob)
    assert as_user(alice).get(detail(bobs)).status_code == 404


# ---- update -----------------------------------------------------------------------------


def test_owner_patches_some_fields(as_user: Callable[[User], APIClient], alice: User) -> None:
    product = ProductFactory.create(owner=alice, price=1000)
    response = as_user(alice).patch(detail(product), {"price": 2500}, format="json")
    assert response.status_code == 200, response.json()
    product.refresh_from_db()
    assert product.price == 2500
    assert product.name.startswith("제주 감귤")  # untouched


def test_put_needs_every_required_field(as_user: Callable[[User], APIClient], alice: User) -> None:
    product = ProductFactory.create(owner=alice)
    assert as_user(alice).put(detail(product), {"price": 1}, format="json").status_code == 400
    response = as_user(alice).put(detail(product), _body(currency="EUR"), format="json")
    assert response.status_code == 200
    assert response.json()["currency"] == "EUR"


def test_others_get_403_and_anonymous_401_on_change(
    anon: APIClient, as_user: Callable[[User], APIClient], alice: User, bob: User, mod: User
) -> None:
    product = ProductFactory.create(owner=alice, price=1000)
    for client, expected in ((as_user(bob), 403), (as_user(mod), 403), (anon, 401)):
        assert client.patch(detail(product), {"price": 1}, format="json").status_code == expected
        assert client.put(detail(product), _body(), format="json").status_code == expected
        assert client.delete(detail(product)).status_code == expected
    product.refresh_from_db()
    assert product.price == 1000


def test_replacing_images_deletes_the_dropped_ones_and_their_files(
    as_user: Callable[[User], APIClient],
    alice: User,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    keep, drop = ImageFactory.create(owner=alice), ImageFactory.create(owner=alice)
    _write_variant_files(drop)
    product = ProductFactory.create(owner=alice)
    client = as_user(alice)
    client.patch(detail(product), {"images": [str(keep.uuid), str(drop.uuid)]}, format="json")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.patch(detail(product), {"images": [str(keep.uuid)]}, format="json")
    assert response.status_code == 200
    assert [i["uuid"] for i in response.json()["images"]] == [str(keep.uuid)]
    assert not Image.objects.filter(pk=drop.pk).exists()
    assert Image.objects.filter(pk=keep.pk).exists()
    assert not any(Path(settings.MEDIA_ROOT, v["key"]).exists() for v in drop.variants)


# ---- delete -----------------------------------------------------------------------------


def _write_variant_files(image: Image) -> None:
    for variant in image.variants:
        path = Path(settings.MEDIA_ROOT, variant["key"])
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"\xff\xd8\xff variant")


def test_deleting_a_product_deletes_its_images_and_files_but_not_shared_ones(
    as_user: Callable[[User], APIClient],
    alice: User,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    own, avatar = ImageFactory.create(owner=alice), ImageFactory.create(owner=alice)
    _write_variant_files(own)
    _write_variant_files(avatar)
    alice.profile_image = avatar  # the same upload also used as the profile picture
    alice.save()
    client = as_user(alice)
    created = client.post(LIST, _body(images=[str(own.uuid), str(avatar.uuid)]), format="json")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.delete(detail(created.json()["uuid"]))
    assert response.status_code == 204
    assert client.get(detail(created.json()["uuid"])).status_code == 404
    assert not Image.objects.filter(pk=own.pk).exists()
    assert not any(Path(settings.MEDIA_ROOT, v["key"]).exists() for v in own.variants)
    assert Image.objects.filter(pk=avatar.pk).exists()
    assert all(Path(settings.MEDIA_ROOT, v["key"]).exists() for v in avatar.variants)


# ---- lists ------------------------------------------------------------------------------


def _products_with_images(owner: User, count: int) -> list[Product]:
    made = []
    for _ in range(count):
        product = ProductFactory.create(owner=owner)
        for position in range(2):
            product.product_images.create(image=ImageFactory.create(owner=owner), position=position)
        made.append(product)
    return made


def test_list_is_newest_first_with_a_cursor(anon: APIClient, alice: User, bob: User) -> None:
    made = [ProductFactory.create(owner=alice if i % 2 else bob) for i in range(5)]
    first = anon.get(LIST, {"page_size": 3}).json()
    assert [p["uuid"] for p in first["results"]] == [str(p.uuid) for p in reversed(made[2:])]
    second = anon.get(first["next"]).json()
    assert [p["uuid"] for p in second["results"]] == [str(p.uuid) for p in reversed(made[:2])]
    assert second["next"] is None


def test_list_leaves_out_muted_owners(
    as_user: Callable[[User], APIClient], alice: User, bob: User
) -> None:
    ProductFactory.create(owner=bob)
    mine = ProductFactory.create(owner=alice)
    Mute.objects.create(muter=alice, muted=bob)
    assert [p["uuid"] for p in as_user(alice).get(LIST).json()["results"]] == [str(mine.uuid)]


@pytest.mark.parametrize("rows", [3, 15])
def test_list_query_count_is_constant(
    as_user: Callable[[User], APIClient],
    alice: User,
    bob: User,
    rows: int,
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    _products_with_images(alice, rows)
    client = as_user(bob)
    # 1 the viewer (JWT authentication), 2 a page of products joined with owners and their
    # profile images (block and mute checks are EXISTS subqueries), their images a JSON column.
    with django_assert_num_queries(2):
        response = client.get(LIST)
    assert len(response.json()["results"]) == rows
    assert all(len(p["images"]) == 2 for p in response.json()["results"])


@pytest.mark.parametrize("rows", [3, 15])
def test_latest_for_user_query_count_is_constant(
    anon: APIClient,
    alice: User,
    bob: User,
    rows: int,
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    _products_with_images(alice, rows)
    ProductFactory.create(owner=bob)
    # 1 the owner by handle, 2 a page of their products with their images.
    with django_assert_num_queries(2):
        response = anon.get("/api/products/latest/alice/")
    assert len(response.json()["results"]) == rows
    assert {p["owner"]["handle"] for p in response.json()["results"]} == {"alice"}


def test_latest_for_unknown_user_is_404(anon: APIClient) -> None:
    assert anon.get("/api/products/latest/nobody_here/").status_code == 404


def test_recommend_ranks_recent_popular_products_first(anon: APIClient, alice: User) -> None:
    quiet = ProductFactory.create(owner=alice)
    liked = ProductFactory.create(owner=alice, like_count=10)
    viewed = ProductFactory.create(owner=alice, view_count=12)
    old_famous = ProductFactory.create(owner=alice, like_count=1000)
    Product.objects.filter(pk=old_famous.pk).update(created_at=timezone.now() - timedelta(days=90))
    response = anon.get("/api/products/recommend/")
    assert response.status_code == 200
    order = [p["uuid"] for p in response.json()["results"]]
    assert order == [str(liked.uuid), str(viewed.uuid), str(quiet.uuid), str(old_famous.uuid)]
    assert response.json()["count"] == 4


@pytest.mark.parametrize("rows", [3, 15])
def test_recommend_query_count_is_constant(
    anon: APIClient, alice: User, rows: int, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    _products_with_images(alice, rows)
    # 1 the count (numbered pages), 2 the page of products, 3 their images.
    with django_assert_num_queries(3):
        response = anon.get("/api/products/recommend/")
    assert len(response.json()["results"]) == rows


# ---- export and demo --------------------------------------------------------------------


def test_export_lists_my_products_only(alice: User, bob: User) -> None:
    mine = ProductFactory.create(owner=alice, hidden_at=timezone.now())
    ProductFactory.create(owner=bob)
    exported = exports.export_all(alice)["products"]
    assert [row["uuid"] for row in exported] == [str(mine.uuid)]
    assert exported[0]["hidden"] is True


def test_demo_seed_creates_believable_products(
    make_user: Callable[..., User], settings: object
) -> None:
    import random

    from tangerine.products import demo

    users = [make_user() for _ in range(3)]
    demo.seed(users=users, rng=random.Random(7), with_images=False)  # pictures: tests/core
    products = list(Product.objects.all())
    assert len(products) >= 6
    assert all(p.link.startswith("https://") and ".example." in p.link for p in products)
    assert {p.owner_id for p in products} <= {u.pk for u in users}
    for product in products:
        product.full_clean()
