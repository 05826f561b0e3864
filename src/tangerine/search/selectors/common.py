"""Visibility and card querysets shared by search, recommendations and similar items.

Every result passes a database visibility check at query time (published, not hidden, author
active and not suspended, no block either way, row still exists), whatever the index says, so a
late index job can never expose a draft, hidden, deleted or blocked item.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from tangerine.accounts.auth import Viewer
from tangerine.accounts.models import Block, User
from tangerine.posts.models import Post, PostImage
from tangerine.products.models import Product, ProductImage

KINDS = ("post", "product", "user")
QUERY_MAX_LENGTH = 200


def _blocked_user_ids(viewer: Viewer) -> Q:
    return Q(Exists(Block.objects.between(viewer, OuterRef("pk"))))


# Staff may open moderated content from a report, but discovery (search, recommendations,
# similar items) leaves it out for everyone: no hidden rows, no suspended or inactive authors.
_NOT_MODERATED = {"hidden_at__isnull": True}


def _author_in_good_standing(field: str) -> dict[str, Any]:
    return {f"{field}__is_active": True, f"{field}__suspended_at__isnull": True}


def visible_posts(viewer: Viewer) -> QuerySet[Post]:
    """Published posts the viewer may see (never drafts, not even the viewer's own)."""
    return Post.objects.visible_to(viewer).filter(
        status=Post.Status.PUBLISHED, **_NOT_MODERATED, **_author_in_good_standing("author")
    )


def visible_products(viewer: Viewer) -> QuerySet[Product]:
    return Product.objects.visible_to(viewer).filter(
        **_NOT_MODERATED, **_author_in_good_standing("owner")
    )


def visible_users(viewer: Viewer) -> QuerySet[User]:
    qs = User.objects.filter(is_active=True, suspended_at__isnull=True)
    if viewer is not None and viewer.is_authenticated:
        qs = qs.exclude(_blocked_user_ids(viewer))
    return qs


def post_cards(viewer: Viewer) -> QuerySet[Post]:
    images = PostImage.objects.select_related("image").order_by("position")
    return (
        visible_posts(viewer)
        .select_related("author__profile_image")
        .prefetch_related(Prefetch("post_images", queryset=images))
    )


def product_cards(viewer: Viewer) -> QuerySet[Product]:
    images = ProductImage.objects.select_related("image").order_by("position")
    return (
        visible_products(viewer)
        .select_related("owner__profile_image")
        .prefetch_related(Prefetch("product_images", queryset=images))
    )


def visible_items(kind: str, viewer: Viewer) -> QuerySet[Any]:
    return visible_posts(viewer) if kind == "post" else visible_products(viewer)


def item_cards(kind: str, viewer: Viewer) -> QuerySet[Any]:
    return post_cards(viewer) if kind == "post" else product_cards(viewer)
