"""Reads for products.

Every queryset starts from ``Product.objects.visible_to(viewer)``: hidden products, suspended or
inactive owners and blocks in either direction never reach a list or a detail page.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db.models import (
    Case,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    QuerySet,
    Value,
    When,
)
from django.http import Http404
from django.utils import timezone
from rest_framework.exceptions import PermissionDenied

from tangerine.accounts.auth import Viewer
from tangerine.accounts.models import Mute, User
from tangerine.images.selectors import parse_uuid
from tangerine.products.models import Product, ProductImage


def _authenticated(viewer: Viewer) -> bool:
    return viewer is not None and viewer.is_authenticated


def product_qs(*, viewer: Viewer) -> QuerySet[Product]:
    """Products the viewer may see, with owner, owner's profile image and images.

    Queries when evaluated: 1 (products joined with owner and profile image; block checks are
    EXISTS subqueries) + 1 (product images joined with their images).
    """
    return (
        Product.objects.visible_to(viewer)
        .select_related("owner__profile_image")
        .prefetch_related(
            Prefetch(
                "product_images",
                queryset=ProductImage.objects.select_related("image").order_by("position"),
            )
        )
    )


def _not_muted(qs: QuerySet[Product], viewer: Viewer) -> QuerySet[Product]:
    if not _authenticated(viewer):
        return qs
    return qs.filter(~Exists(Mute.objects.filter(muter=viewer, muted=OuterRef("owner"))))


def product_list_latest(*, viewer: Viewer) -> QuerySet[Product]:
    """Everyone's latest products (without muted owners), newest first.

    Queries for a page: 1 (page of products) + 1 (images).
    """
    return _not_muted(product_qs(viewer=viewer), viewer).order_by("-created_at", "-id")


def product_list_for_user(*, viewer: Viewer, owner: User) -> QuerySet[Product]:
    """One user's latest products, newest first. Queries for a page: 1 + 1 (images)."""
    return product_qs(viewer=viewer).filter(owner=owner).order_by("-created_at", "-id")


def product_list_recommended(*, viewer: Viewer) -> QuerySet[Product]:
    """Popular recent products: a placeholder until search makes it personal.

    Products of the last ``PRODUCT_RECOMMEND_DAYS`` days come first, ranked by
    ``3 * like_count + view_count``, then by recency; older products follow in the same order, so
    the list is never empty while any product exists. Muted owners are left out.
    Queries for a page: 1 (count, page-number pagination) + 1 (page) + 1 (images).
    """
    cutoff = timezone.now() - timedelta(days=settings.PRODUCT_RECOMMEND_DAYS)
    qs = _not_muted(product_qs(viewer=viewer), viewer).annotate(
        recent=Case(
            When(created_at__gte=cutoff, then=Value(1)),
            default=Value(0),
            output_field=IntegerField(),
        ),
        popularity=F("like_count") * 3 + F("view_count"),
    )
    return qs.order_by("-recent", "-popularity", "-created_at", "-id")


def product_get_visible(*, viewer: Viewer, uuid: Any) -> Product:
    """The product if the viewer may see it; 404 otherwise (also for a malformed uuid)."""
    product = product_qs(viewer=viewer).filter(uuid=parse_uuid(uuid)).first()
    if product is None:
        raise Http404
    return product


def access_product_for_edit(*, user: Any, uuid: Any) -> Product:
    """The product for its owner to change: 404 if not visible, 403 if someone else's."""
    product = product_get_visible(viewer=user, uuid=uuid)
    if product.owner_id != user.pk:
        raise PermissionDenied("Only the owner may change this product.")
    return product
