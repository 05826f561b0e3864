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
    F,
    Field,
    IntegerField,
    OuterRef,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.http import Http404
from django.utils import timezone
from rest_framework.exceptions import PermissionDenied

from tangerine.accounts.auth import Viewer
from tangerine.accounts.models import Mute, User
from tangerine.core.cardsql import exists_for_viewer
from tangerine.core.compiled import (
    NotCompilableError,
    Slot,
    compiled_query,
    count_slot,
    datetime_slot,
    pk_slot,
    text_slot,
)
from tangerine.images.cards import images_column
from tangerine.images.selectors import parse_uuid
from tangerine.products.models import Product, ProductImage, ProductSave
from tangerine.products.pagination import Key, PageReader, after


def _authenticated(viewer: Viewer) -> bool:
    return viewer is not None and viewer.is_authenticated


def product_qs(*, viewer: Viewer) -> QuerySet[Product]:
    """Products the viewer may see, with owner, owner's profile image and images.

    Queries when evaluated: 1 (products joined with owner and profile image; block checks and
    the viewer's ``saved`` flag are EXISTS subqueries; the images a JSON column, ``card_images``,
    read by ``serializers.images_of``).
    """
    saved: Any = (
        exists_for_viewer(ProductSave, "user", "product", viewer.pk, "id")
        if _authenticated(viewer) and viewer is not None
        else Value(False)
    )
    qs = Product.objects.visible_to(viewer)
    return qs.annotate(
        saved=saved, card_images=images_column(ProductImage, "product", qs.db)
    ).select_related("owner__profile_image")


def _not_muted(qs: QuerySet[Product], viewer: Viewer) -> QuerySet[Product]:
    if not _authenticated(viewer) or viewer is None:
        return qs
    return qs.filter(~exists_for_viewer(Mute, "muter", "muted", viewer.pk, "owner_id"))


def product_list_latest(*, viewer: Viewer) -> QuerySet[Product]:
    """Everyone's latest products (without muted owners), newest first.

    Queries for a page: 1.
    """
    return _not_muted(product_qs(viewer=viewer), viewer).order_by("-created_at", "-id")


# The orderings of the list (``?sort=``). Each starts with the status (on_sale < reserved <
# sold_out, as the codes sort) and ends with the primary key, so keyset cursors never tie; each
# has its index (models.Product.Meta.indexes).
_STATUS = Key("status", is_text=True)
_ID_DESC = Key("id", descending=True)
SORTS: dict[str, tuple[Key, ...]] = {
    "latest": (_STATUS, Key("created_at", descending=True, is_datetime=True), _ID_DESC),
    "price_asc": (_STATUS, Key("price"), _ID_DESC),
    "price_desc": (_STATUS, Key("price", descending=True), _ID_DESC),
    "popular": (_STATUS, Key("popularity", descending=True), _ID_DESC),
}


def product_list_filtered(
    *,
    viewer: Viewer,
    category: str | None = None,
    status: str | None = None,
    min_price: int | None = None,
    max_price: int | None = None,
) -> QuerySet[Product]:
    """Everyone's products (without muted owners) matching the filters; prices inclusive.

    Unordered: page it with ``pagination.keyset_page`` and ``SORTS[sort]``.
    Queries for a page: 1.
    """
    given = _filters_given(
        {"category": category, "status": status, "min_price": min_price, "max_price": max_price}
    )
    qs = _not_muted(product_qs(viewer=viewer), viewer)
    return qs.filter(**{_FILTER_LOOKUPS[name]: value for name, value in given.items()})


_FILTER_LOOKUPS = {
    "category": "category",
    "status": "status",
    "min_price": "price__gte",
    "max_price": "price__lte",
}


def _filters_given(filters: dict[str, Any]) -> dict[str, Any]:
    """The filters ``product_list_filtered`` applies (a blank category or status is none; a
    price of 0 is one), for it and for the shapes of ``product_page``."""
    return {
        name: value
        for name, value in filters.items()
        if (value is not None if name in ("min_price", "max_price") else bool(value))
    }


def _field(name: str) -> Field[Any, Any]:
    field = Product._meta.get_field(name)
    assert isinstance(field, Field)  # noqa: S101 (a concrete column of Product)
    return field


def _filter_slot(name: str) -> Slot:
    if name in ("min_price", "max_price"):
        return count_slot(0 if name == "min_price" else 1)
    return text_slot(_field(name), 0 if name == "category" else 1)


def _key_slot(key: Key, nth: int) -> Slot:
    if key.is_datetime:
        return datetime_slot(_field(key.attr))
    if key.is_text:
        return text_slot(_field(key.attr), 2 + nth)
    return pk_slot(1 + nth) if key.attr == "id" else count_slot(2 + nth)


def product_page(*, viewer: Viewer, sort: str, **filters: Any) -> PageReader:
    """``product_list_filtered(viewer, **filters)`` in the order of ``SORTS[sort]``, for
    ``pagination.keyset_page``: the same rows, from a query compiled once per shape
    (``core.compiled``: signed in, staff, sort, which filters, first page or not, page size)
    instead of a queryset built and compiled per page."""
    keys = SORTS[sort]
    given = _filters_given(filters)
    signed_in = _authenticated(viewer)
    slots: dict[str, Slot] = {name: _filter_slot(name) for name in given}
    values: dict[str, Any] = dict(given)
    if signed_in and viewer is not None:
        slots["viewer"], values["viewer"] = pk_slot(), viewer.pk

    def read(after_values: list[Any] | None, limit: int) -> list[Product]:
        run_slots, run_values = dict(slots), dict(values)
        if after_values is not None:
            for i, (key, value) in enumerate(zip(keys, after_values, strict=True)):
                run_slots[f"after:{i}"], run_values[f"after:{i}"] = _key_slot(key, i), value

        def build(v: Any) -> QuerySet[Product]:
            stand_in: Viewer = viewer
            if signed_in and viewer is not None:
                stand_in = User(pk=v["viewer"], is_staff=viewer.is_staff)
            qs = product_list_filtered(viewer=stand_in, **{name: v[name] for name in given})
            if after_values is not None:
                qs = qs.filter(after(keys, [v[f"after:{i}"] for i in range(len(keys))]))
            return qs.order_by(*(key.order_by for key in keys))[:limit]

        staff = bool(signed_in and viewer is not None and viewer.is_staff)
        first = after_values is None
        shape = ("products.list", signed_in, staff, sort, tuple(sorted(given)), first, limit)
        try:
            return compiled_query(shape, build, run_slots, Product.objects.db).run(run_values)
        except NotCompilableError:
            return list(build(run_values))

    return read


# The saved list: most recently saved first.
SAVED_KEYS = (Key("saved_at", descending=True, is_datetime=True), Key("save_id", descending=True))


def product_list_saved(*, user: User) -> QuerySet[Product]:
    """The products ``user`` saved that they may still see, with ``saved_at`` and ``save_id``.

    Page with ``SAVED_KEYS``. Queries for a page: 1 (products joined with the saves).
    """
    mine = ProductSave.objects.filter(user=user, product=OuterRef("pk"))
    return (
        product_qs(viewer=user)
        .filter(saves__user=user)
        .annotate(
            saved_at=Subquery(mine.values("created_at")[:1]),
            save_id=Subquery(mine.values("id")[:1]),
        )
    )


def product_list_for_user(*, viewer: Viewer, owner: User) -> QuerySet[Product]:
    """One user's latest products, newest first. Queries for a page: 1."""
    return product_qs(viewer=viewer).filter(owner=owner).order_by("-created_at", "-id")


def product_list_recommended(*, viewer: Viewer) -> QuerySet[Product]:
    """Popular recent products: a placeholder until search makes it personal.

    Products of the last ``PRODUCT_RECOMMEND_DAYS`` days come first, ranked by
    ``3 * like_count + view_count``, then by recency; older products follow in the same order, so
    the list is never empty while any product exists. Muted owners are left out.
    Queries for a page: 1 (count, page-number pagination) + 1 (page).
    """
    cutoff = timezone.now() - timedelta(days=settings.PRODUCT_RECOMMEND_DAYS)
    qs = _not_muted(product_qs(viewer=viewer), viewer).annotate(
        recent=Case(
            When(created_at__gte=cutoff, then=Value(1)),
            default=Value(0),
            output_field=IntegerField(),
        ),
        # Not "popularity": that is the column of the "popular" sort.
        recommend_score=F("like_count") * 3 + F("view_count"),
    )
    return qs.order_by("-recent", "-recommend_score", "-created_at", "-id")


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
