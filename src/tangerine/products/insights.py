"""Seller insights: what buyers did with a product (or all of a seller's products) per day.

Counted from the tables the actions write (``ProductView``, ``ProductClickOut``,
``ProductSave``), grouped by day in one query each, so an answer costs the same number of
queries for one day or a year, one product or a thousand.

Chats live in the ``chats`` app, above products: it registers a counter here at start-up with
``chat_counter_register`` (rooms about the products, created per day). Until one is registered,
``chats`` is 0.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Count, QuerySet
from django.http import Http404
from django.utils import timezone

from tangerine.images.selectors import parse_uuid
from tangerine.products.models import Product, ProductClickOut, ProductSave, ProductView

# Insight ranges: the default span and the longest allowed (both in days, inclusive).
DEFAULT_DAYS = 30
MAX_DAYS = 366
TOP_PRODUCTS = 5

# (products, start, end) -> (product id, day, rooms created that day), for rooms created in
# [start, end). ``products`` is a queryset of the products asked about (use it as a subquery).
ChatCounter = Callable[[QuerySet[Product], datetime, datetime], Iterable[tuple[int, date, int]]]
_chat_counters: list[ChatCounter] = []


def chat_counter_register(counter: ChatCounter) -> None:
    """Called once by the chats app in ``AppConfig.ready()``."""
    if counter not in _chat_counters:
        _chat_counters.append(counter)


def _chats_by_day(
    products: QuerySet[Product], start: date, end: date
) -> Iterable[tuple[int, date, int]]:
    """Chat rooms about ``products`` created per day; nothing while no counter is registered."""
    tz = timezone.get_current_timezone()
    since = datetime.combine(start, time.min, tzinfo=tz)
    until = datetime.combine(end + timedelta(days=1), time.min, tzinfo=tz)
    for counter in _chat_counters:
        yield from counter(products, since, until)


@dataclass
class Counts:
    views: int = 0
    click_outs: int = 0
    saves: int = 0
    chats: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "views": self.views,
            "click_outs": self.click_outs,
            "saves": self.saves,
            "chats": self.chats,
            "click_through_rate": round(self.click_outs / self.views, 4) if self.views else 0.0,
        }


def access_product_for_insights(*, user: Any, uuid: Any) -> Product:
    """The product for its owner or a staff member (also when hidden); 404 for anyone else."""
    product = Product.objects.filter(uuid=parse_uuid(uuid)).first()
    if product is None or not (user.is_staff or product.owner_id == user.pk):
        raise Http404
    return product


def default_range(*, today: date | None = None) -> tuple[date, date]:
    today = today or timezone.localdate()
    return today - timedelta(days=DEFAULT_DAYS - 1), today


def _grouped(
    products: QuerySet[Product], start: date, end: date
) -> tuple[dict[tuple[int, date], Counts], int]:
    """Counts by (product id, day) and the number of distinct viewers. Queries: 4."""
    cells: dict[tuple[int, date], Counts] = defaultdict(Counts)
    in_range = {"product__in": products, "day__gte": start, "day__lte": end}
    views = ProductView.objects.filter(**in_range)
    for model, attr in (
        (ProductView, "views"),
        (ProductClickOut, "click_outs"),
        (ProductSave, "saves"),
    ):
        rows = (
            model.objects.filter(**in_range)
            .order_by()
            .values_list("product_id", "day")
            .annotate(n=Count("id"))
        )
        for product_id, day, n in rows:
            setattr(cells[(product_id, day)], attr, n)
    for product_id, day, n in _chats_by_day(products, start, end):
        cells[(product_id, day)].chats += n
    unique = views.order_by().values("viewer").distinct().count()
    return cells, unique


def _report(
    cells: dict[tuple[int, date], Counts], unique: int, start: date, end: date
) -> dict[str, Any]:
    by_day: dict[date, Counts] = defaultdict(Counts)
    total = Counts()
    for (_pid, day), c in cells.items():
        for target in (by_day[day], total):
            target.views += c.views
            target.click_outs += c.click_outs
            target.saves += c.saves
            target.chats += c.chats
    days = []
    day = start
    while day <= end:
        days.append({"date": day, **by_day[day].as_dict()})
        day += timedelta(days=1)
    return {
        "from": start,
        "to": end,
        "totals": {**total.as_dict(), "unique_viewers": unique},
        "days": days,
    }


def product_insights(*, product: Product, start: date, end: date) -> dict[str, Any]:
    """Totals and days of one product. Queries: 4 (+ the registered chat counters')."""
    products = Product.objects.filter(pk=product.pk)
    cells, unique = _grouped(products, start, end)
    return {"product": product, **_report(cells, unique, start, end)}


def seller_insights(*, user: Any, start: date, end: date) -> dict[str, Any]:
    """Totals and days over all of ``user``'s products, and the top products by views.

    Queries: 4 (+ chat counters') + 1 (the top products' rows).
    """
    products = Product.objects.filter(owner=user).values("pk")
    cells, unique = _grouped(products, start, end)  # type: ignore[arg-type]
    per_product: dict[int, Counts] = defaultdict(Counts)
    for (pid, _day), c in cells.items():
        p = per_product[pid]
        p.views += c.views
        p.click_outs += c.click_outs
        p.saves += c.saves
        p.chats += c.chats
    ranked = sorted(
        per_product.items(),
        key=lambda item: (-item[1].views, -item[1].click_outs, -item[1].saves, -item[0]),
    )[:TOP_PRODUCTS]
    rows = Product.objects.in_bulk([pid for pid, _ in ranked]) if ranked else {}
    top = [{"product": rows[pid], **counts.as_dict()} for pid, counts in ranked if pid in rows]
    return {**_report(cells, unique, start, end), "top_products": top}
