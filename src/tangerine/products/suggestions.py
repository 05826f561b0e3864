"""Who-to-follow signals of the products app (registered on ``follows.hooks`` at start-up)."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Exists, OuterRef
from django.utils import timezone

from tangerine.accounts.models import User
from tangerine.products.models import Product, ProductView, Status
from tangerine.products.tracking import user_viewer_hash

SELLS_WHAT_YOU_LOOKED_AT = "sells_what_you_looked_at"
# Product pages the viewer opened this many days back say what they are interested in.
LOOKED_DAYS = 30


def sells_what_you_looked_at(viewer: User) -> Exists:
    """True for a candidate with a product on sale in a category of a product the viewer
    opened in the last ``LOOKED_DAYS`` days (their own views were never counted)."""
    since = timezone.localdate() - timedelta(days=LOOKED_DAYS)
    looked = ProductView.objects.filter(viewer=user_viewer_hash(viewer.pk), day__gte=since).values(
        "product__category"
    )
    return Exists(
        Product.objects.filter(
            owner=OuterRef("pk"),
            status=Status.ON_SALE,
            hidden_at__isnull=True,
            category__in=looked,
        )
    )
