"""A product card built by ``product_card`` answers exactly what DRF's declared fields answer
(``ModelSerializer.to_representation`` over them), as data and as rendered bytes: with and
without images (ready and pending), a profile image, ``saved`` missing or annotated, a store
check with issues, a fresh instance holding enum members; a subclass with fields of its own
keeps DRF's walk."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone
from rest_framework import serializers

from tangerine.accounts.models import User
from tangerine.images.models import Image
from tangerine.images.serializers import image_refs
from tangerine.products import selectors
from tangerine.products.models import LinkStatus, Product, ProductImage, Status
from tangerine.products.serializers import ProductSerializer, images_of
from tests.factories import ImageFactory, ProductFactory
from tests.support.cards import assert_card_is_the_fields

pytestmark = pytest.mark.django_db


def _both_ways(item: Any) -> None:
    assert_card_is_the_fields(ProductSerializer, item)


def test_product_cards_equal_the_declared_fields(alice: User, bob: User) -> None:
    alice.profile_image = ImageFactory.create(owner=alice)
    alice.save(update_fields=["profile_image"])
    plain = ProductFactory.create(owner=bob, index=False)
    pictured = ProductFactory.create(owner=alice, index=False, status=Status.RESERVED)
    ProductImage.objects.create(
        product=pictured, image=ImageFactory.create(owner=alice), position=0
    )
    pending = ImageFactory.create(owner=alice, status=Image.Status.PENDING, variants=[])
    ProductImage.objects.create(product=pictured, image=pending, position=1)
    Product.objects.filter(pk=pictured.pk).update(
        link_status=LinkStatus.BROKEN,
        link_checked_at=timezone.now(),
        store_price=1,
        store_currency="KRW",
        store_availability="out_of_stock",
        utm=False,
    )
    seen = 0
    for viewer in (alice, bob, None):
        for product in selectors.product_qs(viewer=viewer):
            _both_ways(product)
            seen += 1
    assert seen == 6
    for product in (plain, pictured):
        _both_ways(Product.objects.get(pk=product.pk))
    fresh = ProductFactory.create(owner=bob, index=False)
    fresh.status = Status.ON_SALE
    _both_ways(fresh)
    card = ProductSerializer(selectors.product_qs(viewer=None).get(pk=pictured.pk)).data
    assert card["store_check"]["issues"] and len(card["images"]) == 2


def test_a_subclass_with_fields_of_its_own_keeps_drfs_walk(alice: User) -> None:
    class Extra(ProductSerializer):
        extra = serializers.SerializerMethodField()

        class Meta(ProductSerializer.Meta):
            fields = [*ProductSerializer.Meta.fields, "extra"]

        def get_extra(self, product: Product) -> int:
            return 7

    product = ProductFactory.create(owner=alice, index=False)
    assert Extra(product).data["extra"] == 7


def test_the_images_column_equals_the_relation_in_position_order(alice: User) -> None:
    """``product_qs`` reads a product's images as a JSON column (``images.cards``): the same
    refs as the ``ProductImage`` rows by position, whatever order they were attached in, with
    variants of ready images and none of pending ones; a product without images has none."""
    product = ProductFactory.create(owner=alice, index=False)
    bare = ProductFactory.create(owner=alice, index=False)
    pending = ImageFactory.create(owner=alice, status=Image.Status.PENDING, variants=[])
    for position, image in (
        (2, ImageFactory.create(owner=alice)),
        (0, pending),
        (1, ImageFactory.create(owner=alice)),
    ):
        ProductImage.objects.create(product=product, image=image, position=position)
    by_pk = {p.pk: p for p in selectors.product_qs(viewer=alice)}
    links = ProductImage.objects.filter(product=product).select_related("image")
    expected = image_refs(pi.image for pi in links.order_by("position"))
    assert image_refs(images_of(by_pk[product.pk])) == expected
    assert expected[0]["uuid"] == str(pending.uuid)
    assert any(ref["variants"] for ref in expected)
    assert images_of(by_pk[bare.pk]) == []
    # A product read elsewhere falls back to its rows, still by position.
    assert image_refs(images_of(Product.objects.get(pk=product.pk))) == expected
