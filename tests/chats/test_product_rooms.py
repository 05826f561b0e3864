"""Chat with the seller: ``POST /api/products/{uuid}/chat/`` opens or reuses one room per buyer
and product, with the product card on the room and in the room list."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from tangerine.accounts.models import Block, User
from tangerine.chats import services
from tangerine.chats.models import Membership, Room
from tangerine.images.models import Image
from tangerine.products.models import Product, ProductImage
from tests.support.api import client_for

pytestmark = pytest.mark.django_db

ROOMS = "/api/chats/rooms/"
AsUser = Callable[[User], APIClient]
MakeProduct = Callable[..., Product]


def chat_url(product: Product | str) -> str:
    uuid = product.uuid if isinstance(product, Product) else product
    return f"/api/products/{uuid}/chat/"


def _with_photo(product: Product) -> Image:
    image = Image.objects.create(
        owner=product.owner,
        content_type="image/jpeg",
        size=10,
        key=f"k/{product.uuid}",
        status=Image.Status.READY,
        width=800,
        height=600,
        variants=[
            {"key": f"v/{product.uuid}-400.webp", "width": 400, "height": 300, "format": "webp"}
        ],
    )
    ProductImage.objects.create(product=product, image=image, position=0)
    return image


def test_a_buyer_opens_a_room_with_the_seller_about_a_product(
    as_user: AsUser, alice: User, bob: User, make_product: MakeProduct
) -> None:
    product = make_product(owner=alice, name="제주 감귤 5kg", price=12900)
    image = _with_photo(product)
    response = as_user(bob).post(chat_url(product))
    assert response.status_code == 201, response.json()
    body = response.json()
    assert sorted(m["handle"] for m in body["members"]) == ["alice", "bob"]
    card = body["product"]
    assert card["uuid"] == str(product.uuid)
    assert card["name"] == "제주 감귤 5kg"
    assert card["price"] == 12900
    assert card["currency"] == "KRW"
    assert card["status"] == "on_sale"
    assert card["image"]["uuid"] == str(image.uuid)
    assert card["image"]["variants"][0]["width"] == 400
    # The seller sees the same room, with the card, in their list.
    listed = as_user(alice).get(ROOMS).json()["results"]
    assert [r["uuid"] for r in listed] == [body["uuid"]]
    assert listed[0]["product"]["uuid"] == str(product.uuid)


def test_opening_again_reuses_the_room(
    as_user: AsUser, alice: User, bob: User, make_product: MakeProduct
) -> None:
    product = make_product(owner=alice)
    first = as_user(bob).post(chat_url(product))
    again = as_user(bob).post(chat_url(product))
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["uuid"] == again.json()["uuid"]
    assert Room.objects.filter(product=product).count() == 1


def test_each_buyer_and_each_product_has_its_own_room(
    as_user: AsUser, alice: User, bob: User, carol: User, make_product: MakeProduct
) -> None:
    one, two = make_product(owner=alice), make_product(owner=alice)
    rooms = {
        as_user(bob).post(chat_url(one)).json()["uuid"],
        as_user(bob).post(chat_url(two)).json()["uuid"],
        as_user(carol).post(chat_url(one)).json()["uuid"],
    }
    assert len(rooms) == 3
    # A plain room between the same two people is a different room.
    plain = as_user(bob).post(ROOMS, {"members": ["alice"]}, format="json").json()
    assert plain["uuid"] not in rooms
    assert plain["product"] is None


def test_chatting_about_my_own_product_is_a_400(
    as_user: AsUser, alice: User, make_product: MakeProduct
) -> None:
    response = as_user(alice).post(chat_url(make_product(owner=alice)))
    assert response.status_code == 400
    assert response.json()["fields"]["product"]
    assert not Room.objects.exists()


def test_unknown_malformed_and_hidden_products_are_404(
    as_user: AsUser, alice: User, bob: User, mod: User, make_product: MakeProduct
) -> None:
    hidden = make_product(owner=alice, hidden_at=timezone.now())
    for target in ("00000000-0000-0000-0000-000000000000", "not-a-uuid", hidden):
        assert as_user(bob).post(chat_url(target)).status_code == 404
    # Staff may see a hidden product, but nobody opens a chat about it.
    assert as_user(mod).post(chat_url(hidden)).status_code == 404
    assert not Room.objects.exists()


@pytest.mark.parametrize("direction", ["seller_blocked_buyer", "buyer_blocked_seller"])
def test_a_block_either_way_is_a_404(
    as_user: AsUser, alice: User, bob: User, make_product: MakeProduct, direction: str
) -> None:
    product = make_product(owner=alice)
    if direction == "seller_blocked_buyer":
        Block.objects.create(blocker=alice, blocked=bob)
    else:
        Block.objects.create(blocker=bob, blocked=alice)
    assert as_user(bob).post(chat_url(product)).status_code == 404
    assert not Room.objects.exists()


def test_a_block_after_the_room_exists_refuses_reopening(
    as_user: AsUser, alice: User, bob: User, make_product: MakeProduct
) -> None:
    product = make_product(owner=alice)
    assert as_user(bob).post(chat_url(product)).status_code == 201
    Block.objects.create(blocker=alice, blocked=bob)
    assert as_user(bob).post(chat_url(product)).status_code == 404


def test_a_suspended_seller_is_a_404(
    as_user: AsUser, alice: User, bob: User, make_product: MakeProduct
) -> None:
    product = make_product(owner=alice)
    User.objects.filter(pk=alice.pk).update(suspended_at=timezone.now())
    assert as_user(bob).post(chat_url(product)).status_code == 404


def test_anonymous_visitors_are_refused(
    anon: APIClient, alice: User, make_product: MakeProduct
) -> None:
    assert anon.post(chat_url(make_product(owner=alice))).status_code == 401


def test_a_buyer_who_left_comes_back_to_the_same_room(
    as_user: AsUser, alice: User, bob: User, make_product: MakeProduct
) -> None:
    product = make_product(owner=alice)
    room = as_user(bob).post(chat_url(product)).json()["uuid"]
    services.message_send(sender=alice, room_uuid=room, text="안녕하세요", client_id="a1")
    assert as_user(bob).post(f"{ROOMS}{room}/leave/").status_code == 204
    back = as_user(bob).post(chat_url(product))
    assert back.status_code == 200
    assert back.json()["uuid"] == room
    assert back.json()["unread_count"] == 0  # the history is marked read on rejoining


def test_when_both_left_a_new_room_is_made(
    as_user: AsUser, alice: User, bob: User, make_product: MakeProduct
) -> None:
    product = make_product(owner=alice)
    room = as_user(bob).post(chat_url(product)).json()["uuid"]
    as_user(bob).post(f"{ROOMS}{room}/leave/")
    as_user(alice).post(f"{ROOMS}{room}/leave/")
    again = as_user(bob).post(chat_url(product))
    assert again.status_code == 201
    assert again.json()["uuid"] != room


def test_nobody_else_can_be_invited_into_a_product_room(
    as_user: AsUser, alice: User, bob: User, carol: User, make_product: MakeProduct
) -> None:
    room = as_user(bob).post(chat_url(make_product(owner=alice))).json()["uuid"]
    response = as_user(bob).post(f"{ROOMS}{room}/members/", {"members": ["carol"]}, format="json")
    assert response.status_code == 400
    assert response.json()["fields"]["members"]
    assert Membership.objects.filter(room__uuid=room).count() == 2


def test_a_deleted_product_leaves_the_room_without_a_card(
    as_user: AsUser, alice: User, bob: User, make_product: MakeProduct
) -> None:
    product = make_product(owner=alice)
    room = as_user(bob).post(chat_url(product)).json()["uuid"]
    product.delete()
    body = as_user(bob).get(f"{ROOMS}{room}/").json()
    assert body["product"] is None


def test_a_hidden_product_shows_no_card(
    as_user: AsUser, alice: User, bob: User, make_product: MakeProduct
) -> None:
    product = make_product(owner=alice)
    room = as_user(bob).post(chat_url(product)).json()["uuid"]
    Product.objects.filter(pk=product.pk).update(hidden_at=timezone.now())
    assert as_user(bob).get(f"{ROOMS}{room}/").json()["product"] is None


def test_the_card_shows_the_sale_status(
    as_user: AsUser, alice: User, bob: User, make_product: MakeProduct
) -> None:
    product = make_product(owner=alice)
    if not hasattr(product, "status"):
        pytest.skip("products have no sale status yet")
    Product.objects.filter(pk=product.pk).update(status="reserved")
    assert as_user(bob).post(chat_url(product)).json()["product"]["status"] == "reserved"


def _room_list_queries(client: APIClient) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(ROOMS, {"page_size": 100})
        assert response.status_code == 200
    return len(ctx.captured_queries)


def test_room_list_with_product_cards_costs_constant_queries(
    as_user: AsUser, alice: User, make_user: Callable[..., User], make_product: MakeProduct
) -> None:
    def add_rooms(count: int) -> None:
        for _ in range(count):
            product = make_product(owner=make_user())
            _with_photo(product)
            room = services.product_room_open(buyer=alice, product_uuid=product.uuid).room
            services.message_send(
                sender=product.owner, room_uuid=room.uuid, text="네", client_id="x"
            )

    client = as_user(alice)
    add_rooms(3)
    # 1. the user of the access token; 2. the rooms with last message, sender, image and
    # product; 3. the members with users and profile images; 4. the products' images.
    assert _room_list_queries(client) == 4
    add_rooms(12)
    assert len(client.get(ROOMS).json()["results"]) == 15
    assert _room_list_queries(client) == 4


def test_a_lost_insert_race_returns_the_winners_room(
    alice: User, bob: User, make_product: MakeProduct
) -> None:
    """The path the loser of two simultaneous opens takes, made deterministic: the unique
    constraint refuses a second open room for the same buyer and product."""
    product = make_product(owner=alice)
    first = services.product_room_open(buyer=bob, product_uuid=product.uuid)
    with pytest.raises(IntegrityError), transaction.atomic():
        Room.objects.create(created_by=bob, product=product, product_buyer=bob)
    again = services.product_room_open(buyer=bob, product_uuid=product.uuid)
    assert again.room.pk == first.room.pk
    assert again.created is False


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_simultaneous_opens_make_one_room(
    make_user: Callable[..., User], make_product: MakeProduct
) -> None:
    seller, buyer = make_user(), make_user()
    product = make_product(owner=seller)
    start = threading.Barrier(8)
    results: list[Any] = []
    lock = threading.Lock()

    def tap() -> None:
        start.wait()
        try:
            response = client_for(buyer).post(chat_url(product))
            outcome: Any = (response.status_code, response.json()["uuid"])
        except Exception as exc:
            outcome = exc
        finally:
            connection.close()
        with lock:
            results.append(outcome)

    threads = [threading.Thread(target=tap) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(isinstance(r, tuple) for r in results), results
    assert sorted(status for status, _ in results) == [200] * 7 + [201]
    assert len({uuid for _, uuid in results}) == 1
    assert Room.objects.filter(product=product).count() == 1


def test_opened_chats_count_in_the_sellers_insights(
    as_user: AsUser, alice: User, bob: User, carol: User, make_product: MakeProduct
) -> None:
    product = make_product(owner=alice)
    as_user(bob).post(chat_url(product))
    as_user(carol).post(chat_url(product))
    as_user(bob).post(chat_url(product))  # reused: not a new chat
    body = as_user(alice).get(f"/api/products/{product.uuid}/insights/").json()
    assert body["totals"]["chats"] == 2
    assert body["days"][-1]["chats"] == 2
