"""The product list from queries compiled once per shape (``selectors.product_page``,
``core.compiled``): for every kind of viewer, sort and set of filters, every page (and a page
after an edited cursor, with values past a column's range) holds the rows the ORM's queryset
gives in the same order, with the same ``saved`` flag and images, and the compiled path is the
one that served it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from tangerine.accounts.models import Block, Mute, User
from tangerine.core import compiled
from tangerine.products import selectors
from tangerine.products.models import Product, ProductImage, ProductSave, Status
from tangerine.products.pagination import queryset_reader
from tangerine.products.serializers import product_card
from tests.factories import ImageFactory, ProductFactory, UserFactory

pytestmark = pytest.mark.django_db

FILTER_SETS: list[dict[str, Any]] = [
    {},
    {"category": "food"},
    {"status": Status.RESERVED},
    {"min_price": 1000, "max_price": 5000},
    {"category": "food", "status": Status.ON_SALE, "min_price": 0, "max_price": 3000},
    {"category": "", "status": "", "min_price": None, "max_price": None},  # none given
]


@pytest.fixture(autouse=True)
def _fresh() -> Iterator[None]:
    compiled.forget_all()
    yield
    compiled.forget_all()


@pytest.fixture
def viewers() -> dict[str, User | None]:
    """A market with ties on every sort key and a product of each kind a viewer must not see."""
    viewer = UserFactory.create(handle="viewer")
    staff = UserFactory.create(handle="staff", is_staff=True)
    sellers = [UserFactory.create(handle=f"seller{i}") for i in range(3)]
    blocked, muted, suspended = (UserFactory.create(handle=h) for h in ("blk", "mut", "sus"))
    Block.objects.create(blocker=viewer, blocked=blocked)
    Mute.objects.create(muter=viewer, muted=muted)
    User.objects.filter(pk=suspended.pk).update(suspended_at=timezone.now())
    now = timezone.now()
    statuses = [Status.ON_SALE, Status.RESERVED, Status.SOLD_OUT]
    for i in range(14):
        product = ProductFactory.create(
            owner=sellers[i % 3],
            price=[1000, 2500, 2500, 4000, 9000][i % 5],
            popularity=[0, 3, 3, 7][i % 4],
            status=statuses[i % 3],
            category=["food", "books"][i % 2],
            index=False,
        )
        # Two pairs share their creation time: the id breaks the tie.
        Product.objects.filter(pk=product.pk).update(created_at=now - timedelta(minutes=i // 2))
        if i % 4 == 0:
            ProductImage.objects.create(
                product=product, image=ImageFactory.create(owner=product.owner), position=0
            )
        if i % 3 == 0:
            ProductSave.objects.create(product=product, user=viewer, day=now.date())
    for owner in (blocked, muted, suspended):
        ProductFactory.create(owner=owner, category="food", index=False)
    ProductFactory.create(owner=sellers[0], hidden_at=now, index=False)
    return {"anonymous": None, "viewer": viewer, "staff": staff}


def _cards(rows: list[Product]) -> list[dict[str, Any]]:
    return [product_card(row) for row in rows]


def _walk(viewer: User | None, sort: str, filters: dict[str, Any], size: int) -> int:
    """Pages of ``size`` until the end, each compared with the ORM's; the rows seen."""
    keys = selectors.SORTS[sort]
    compiled_page = selectors.product_page(viewer=viewer, sort=sort, **filters)
    orm_page = queryset_reader(selectors.product_list_filtered(viewer=viewer, **filters), keys)
    values: list[Any] | None = None
    seen = 0
    while True:
        rows = compiled_page(values, size + 1)
        assert _cards(rows) == _cards(orm_page(values, size + 1)), (sort, filters, values)
        seen += len(rows[:size])
        if len(rows) <= size:
            return seen
        values = [getattr(rows[size - 1], key.attr) for key in keys]


@pytest.mark.parametrize("kind", ["anonymous", "viewer", "staff"])
def test_every_page_is_the_orms_page(kind: str, viewers: dict[str, User | None]) -> None:
    viewer = viewers[kind]
    for sort in selectors.SORTS:
        for filters in FILTER_SETS:
            everything = len(selectors.product_list_filtered(viewer=viewer, **filters))
            for size in (2, 5, 20):
                assert _walk(viewer, sort, filters, size) == everything
    shapes = [v for key, v in compiled._compiled.items() if "'products.list'" in repr(key)]
    assert shapes, "no product page was compiled"
    assert all(v is not None for v in shapes), "a shape fell back to the ORM"
    # Blocked, muted, suspended and hidden stay out for the viewer; staff sees them all.
    rows = selectors.product_page(viewer=viewer, sort="latest")(None, 99)
    seen = {p.owner.handle for p in rows}
    hidden = any(p.hidden_at is not None for p in rows)
    assert ("blk" in seen, "mut" in seen, "sus" in seen, hidden) == {
        "anonymous": (True, True, False, False),
        "viewer": (False, False, False, False),
        "staff": (True, True, True, True),
    }[kind]


def test_two_viewers_share_a_shape_not_their_rows(viewers: dict[str, User | None]) -> None:
    """A shape compiled for one signed-in viewer serves another with other blocks, mutes and
    saves: each gets their own rows and flags (the viewer is a slot, never a constant)."""
    first = viewers["viewer"]
    assert first is not None
    second = UserFactory.create(handle="second")
    Block.objects.create(blocker=User.objects.get(handle="mut"), blocked=second)
    saved = Product.objects.filter(owner__handle="blk").get()
    ProductSave.objects.create(product=saved, user=second, day=timezone.now().date())
    for viewer in (first, second, first):
        for sort in selectors.SORTS:
            assert _walk(viewer, sort, {}, 4) == len(selectors.product_list_filtered(viewer=viewer))
    shapes = [k for k in compiled._compiled if "'products.list'" in repr(k)]
    assert len(shapes) == 2 * len(selectors.SORTS)  # first pages and later ones, per sort
    rows = selectors.product_page(viewer=second, sort="latest")(None, 99)
    owners = {p.owner.handle for p in rows}
    assert "blk" in owners and "mut" not in owners  # blocked by "mut"; "blk" is not theirs
    assert {p.pk for p in rows if p.saved} == {saved.pk}


@pytest.mark.parametrize(
    ("sort", "values"),
    [
        ("popular", [Status.ON_SALE, 2**40, 1]),  # past the column's range: every row after
        ("popular", [Status.RESERVED, -5, 10**12]),  # below it
        ("price_asc", [Status.ON_SALE, -1, 1]),
        ("price_desc", [Status.SOLD_OUT, 2**63 - 1, -(2**63)]),
        ("latest", ["zzz", timezone.now(), 0]),  # a status after every status
    ],
)
def test_an_edited_cursor_reads_what_the_orm_reads(
    sort: str, values: list[Any], viewers: dict[str, User | None]
) -> None:
    for viewer in viewers.values():
        keys = selectors.SORTS[sort]
        page = selectors.product_page(viewer=viewer, sort=sort)(values, 50)
        orm = queryset_reader(selectors.product_list_filtered(viewer=viewer), keys)(values, 50)
        assert [p.pk for p in page] == [p.pk for p in orm]
