"""Search hits built by plain functions answer exactly what DRF's declared fields answer.

``PostHitSerializer``, ``ProductHitSerializer`` and ``UserHitSerializer`` render a hit with
their card (``search/serializers.py``); their declared fields stay for the schema. Every hit
here is rendered both ways, DRF's generic walk over the declared fields and the card, and the
two must be equal as data, in key order and as the bytes DRF's renderer writes: authors and
owners with ready, pending or no profile images, products with and without an image, an
integer score, empty and several highlights. The merged ranking (``top``) renders each hit
as its own kind's card.
"""

from __future__ import annotations

import pytest
from rest_framework.renderers import JSONRenderer

from tangerine.accounts.models import User
from tangerine.images.models import Image
from tangerine.posts.models import Post
from tangerine.products.models import Product, ProductImage
from tangerine.search.selectors.query import Hit
from tangerine.search.serializers import (
    PostHitSerializer,
    ProductHitSerializer,
    UserHitSerializer,
    top_hit_card,
)
from tests.factories import ImageFactory, ProductFactory, make_post
from tests.support.cards import assert_card_is_the_fields

pytestmark = pytest.mark.django_db

SERIALIZERS = {
    "post": PostHitSerializer,
    "product": ProductHitSerializer,
    "user": UserHitSerializer,
}


def _both_ways(hit: Hit) -> None:
    rendered = assert_card_is_the_fields(SERIALIZERS[hit.kind], hit)
    assert JSONRenderer().render(top_hit_card(hit)) == rendered


@pytest.fixture
def people(alice: User, bob: User, carol: User) -> dict[str, User]:
    alice.profile_image = ImageFactory.create(owner=alice)
    alice.follower_count = 12
    alice.save(update_fields=["profile_image", "follower_count"])
    pending = ImageFactory.create(owner=bob, status=Image.Status.PENDING, variants=[])
    bob.profile_image = pending
    bob.save(update_fields=["profile_image"])
    return {"ready": alice, "pending": bob, "none": carol}


def test_user_hits(people: dict[str, User]) -> None:
    for user in people.values():
        fresh = User.objects.select_related("profile_image").get(pk=user.pk)
        _both_ways(Hit(kind="user", obj=fresh, score=0.8125, highlights=["ali"]))
        _both_ways(Hit(kind="user", obj=fresh, score=1, highlights=[]))


def test_post_hits(people: dict[str, User]) -> None:
    for user in people.values():
        post = make_post(user, title="감귤 tangerine", text="제주 감귤 🍊 <b>sweet</b>")
        post = Post.objects.select_related("author__profile_image").get(pk=post.pk)
        _both_ways(
            Hit(
                kind="post",
                obj=post,
                score=0.73,
                highlights=["감귤", "tangerine"],
                snippet="제주 감귤 🍊 <b>sweet</b>",
                snippet_html="제주 <mark>감귤</mark> 🍊 &lt;b&gt;sweet&lt;/b&gt;",
            )
        )
    untitled = make_post(people["none"], title="", text="x")
    _both_ways(Hit(kind="post", obj=untitled, score=0.0))


def test_product_hits(people: dict[str, User]) -> None:
    bare = ProductFactory.create(owner=people["none"], index=False)
    shown = ProductFactory.create(owner=people["ready"], price=0, currency="USD", index=False)
    first, second = (
        ImageFactory.create(owner=people["ready"]),
        ImageFactory.create(owner=people["ready"]),
    )
    ProductImage.objects.create(product=shown, image=second, position=1)
    ProductImage.objects.create(product=shown, image=first, position=0)
    pending = ProductFactory.create(owner=people["pending"], index=False)
    ProductImage.objects.create(
        product=pending,
        image=ImageFactory.create(owner=people["pending"], status=Image.Status.PENDING),
        position=0,
    )
    for product in (bare, shown, pending):
        fresh = (
            Product.objects.select_related("owner__profile_image")
            .prefetch_related("product_images__image")
            .get(pk=product.pk)
        )
        _both_ways(
            Hit(
                kind="product",
                obj=fresh,
                score=0.5,
                highlights=["감귤"],
                snippet="s",
                snippet_html="s",
            )
        )
    shown_card = top_hit_card(Hit(kind="product", obj=shown, score=0.5))
    assert shown_card["image"] is not None and shown_card["image"]["uuid"] == str(first.uuid)
    assert top_hit_card(Hit(kind="product", obj=bare, score=0.5))["image"] is None


def test_an_unknown_kind_is_refused() -> None:
    with pytest.raises(KeyError):
        top_hit_card(Hit(kind="room", obj=None, score=0.1))
