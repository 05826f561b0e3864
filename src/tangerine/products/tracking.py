"""Counting what buyers do with a product: detail views, click-outs to the store, popularity.

A viewer is keyed by a salted hash of the user id (members) or the client address (visitors):
``HMAC-SHA256(PRODUCT_VIEWER_SALT or SECRET_KEY, "u:<id>" | "a:<address>")``, 32 hex digits.
The address itself is never stored. One view and one click-out count per viewer, product and
day (UTC): a row in ``ProductView`` / ``ProductClickOut`` whose unique constraint makes a repeat
a no-op, so a page view costs one ``INSERT ... ON CONFLICT DO NOTHING`` and nothing else.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import DatabaseError, IntegrityError, transaction
from django.db.models import Count, F, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from tangerine.core import ratelimit
from tangerine.core.tasks import periodic
from tangerine.products.models import Product, ProductClickOut, ProductSave, ProductView

logger = logging.getLogger(__name__)

# "popular" sorts by saves + click-outs of this many days.
POPULAR_DAYS = 7


def _salted(raw: str) -> str:
    salt = (getattr(settings, "PRODUCT_VIEWER_SALT", "") or settings.SECRET_KEY).encode()
    return hmac.new(salt, raw.encode(), hashlib.sha256).hexdigest()[:32]


def user_viewer_hash(user_id: int) -> str:
    """The salted viewer key of a signed-in user (what their views were counted under)."""
    return _salted(f"u:{user_id}")


def viewer_hash(request: Any) -> str:
    """The salted viewer key of a request (see the module docstring)."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return user_viewer_hash(user.pk)
    return _salted(f"a:{ratelimit.client_address(request)}")


def product_view_record(*, product: Product, request: Any) -> None:
    """Count a detail-page view by someone other than the owner: one INSERT, never raises."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and user.pk == product.owner_id:
        return
    try:
        ProductView.objects.bulk_create(
            [ProductView(product=product, day=timezone.localdate(), viewer=viewer_hash(request))],
            ignore_conflicts=True,
        )
    # A lost view must never fail the page.
    except DatabaseError:
        logger.warning("Could not count a view of product %s", product.pk, exc_info=True)


def product_click_out_record(*, product: Product, request: Any) -> bool:
    """Count a click through to the store (one per viewer, product and day); True if new.

    A new click also adds one to the product's ``popularity``. Never raises.
    """
    try:
        with transaction.atomic():
            ProductClickOut.objects.create(
                product=product, day=timezone.localdate(), viewer=viewer_hash(request)
            )
            Product.objects.filter(pk=product.pk).update(popularity=F("popularity") + 1)
    except IntegrityError:
        return False
    except DatabaseError:
        logger.warning("Could not count a click-out of product %s", product.pk, exc_info=True)
        return False
    return True


def popularity_refresh(*, product_ids: Any = None) -> int:
    """Recompute ``popularity`` (saves + click-outs of the last ``POPULAR_DAYS`` days).

    ``product_ids`` limits it to those products (a list or a values queryset); by default every
    product that has a non-zero score or recent activity. Returns the number of rows updated.
    """
    now = timezone.now()
    since = now - timedelta(days=POPULAR_DAYS)
    since_day = timezone.localdate() - timedelta(days=POPULAR_DAYS - 1)
    saves = (
        ProductSave.objects.filter(product=OuterRef("pk"), created_at__gte=since)
        .order_by()
        .values("product")
        .annotate(n=Count("id"))
        .values("n")
    )
    clicks = (
        ProductClickOut.objects.filter(product=OuterRef("pk"), day__gte=since_day)
        .order_by()
        .values("product")
        .annotate(n=Count("id"))
        .values("n")
    )
    qs = Product.objects.all()
    if product_ids is not None:
        qs = qs.filter(pk__in=product_ids)
    else:
        recent = Q(pk__in=ProductSave.objects.filter(created_at__gte=since).values("product")) | Q(
            pk__in=ProductClickOut.objects.filter(day__gte=since_day).values("product")
        )
        qs = qs.filter(Q(popularity__gt=0) | recent)
    return qs.update(
        popularity=Coalesce(Subquery(saves), Value(0)) + Coalesce(Subquery(clicks), Value(0))
    )


@periodic(every=3600)
def popularity_sweep() -> None:
    """Hourly: saves and click-outs older than the window leave the score."""
    popularity_refresh()
