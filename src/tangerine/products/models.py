"""Products promoted here and sold in outside stores."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models

from tangerine.accounts.auth import Viewer
from tangerine.accounts.visibility import filter_visible
from tangerine.core.models import BaseModel
from tangerine.core.validators import validate_http_url

NAME_MAX_LENGTH = 100
DESCRIPTION_MAX_LENGTH = 3000
LINK_MAX_LENGTH = 1000
# Integer minor units: 10^12 KRW is far beyond any real listing and fits a 64-bit column.
PRICE_MAX = 10**12
MAX_IMAGES = 10
# ISO 4217 codes a price may be given in, with the number of digits of each minor unit.
CURRENCY_EXPONENTS = {
    "KRW": 0,
    "USD": 2,
    "EUR": 2,
    "JPY": 0,
    "CNY": 2,
    "GBP": 2,
    "HKD": 2,
    "TWD": 2,
    "SGD": 2,
    "AUD": 2,
    "CAD": 2,
    "VND": 0,
    "THB": 2,
}
CURRENCIES = tuple(CURRENCY_EXPONENTS)


class Status(models.TextChoices):
    """Sale status. The codes sort in the order lists show them: on sale, reserved, sold out."""

    ON_SALE = "on_sale", "판매중"
    RESERVED = "reserved", "예약중"
    SOLD_OUT = "sold_out", "판매완료"


# The fixed category list: code -> (Korean label, English label). Order is display order.
CATEGORIES: dict[str, tuple[str, str]] = {
    "food": ("식품", "Food"),
    "fashion": ("의류·잡화", "Fashion"),
    "beauty": ("뷰티·미용", "Beauty"),
    "digital": ("디지털기기", "Electronics"),
    "home": ("생활·주방", "Home & kitchen"),
    "furniture": ("가구·인테리어", "Furniture"),
    "kids": ("유아동", "Kids"),
    "sports": ("스포츠·레저", "Sports"),
    "hobby": ("취미·게임·음반", "Hobbies & games"),
    "books": ("도서", "Books"),
    "pets": ("반려동물용품", "Pet supplies"),
    "plants": ("식물", "Plants"),
    "other": ("기타", "Other"),
}
DEFAULT_CATEGORY = "other"
# (code, English label): the choices of the category field (the web shows its own labels).
CATEGORY_CHOICES = [(code, en) for code, (_ko, en) in CATEGORIES.items()]


class LinkStatus(models.TextChoices):
    """What the latest check of a product's store link found (see products.linkcheck)."""

    OK = "ok"
    REDIRECTED = "redirected"
    BROKEN = "broken"
    UNKNOWN = "unknown"


class StoreAvailability(models.TextChoices):
    IN_STOCK = "in_stock"
    OUT_OF_STOCK = "out_of_stock"


class ProductQuerySet(models.QuerySet["Product"]):
    def visible_to(self, viewer: Viewer) -> ProductQuerySet:
        return filter_visible(self, viewer=viewer, author_field="owner")


class Product(BaseModel):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="products"
    )
    name = models.CharField(max_length=NAME_MAX_LENGTH)
    description = models.TextField(max_length=DESCRIPTION_MAX_LENGTH, blank=True)
    price = models.PositiveBigIntegerField(validators=[MaxValueValidator(PRICE_MAX)])
    # ISO 4217 code; ``price`` is in that currency's minor unit (KRW has none: 1 = ₩1).
    currency = models.CharField(
        max_length=3, default="KRW", choices=[(code, code) for code in CURRENCIES]
    )
    link = models.URLField(max_length=LINK_MAX_LENGTH, validators=[validate_http_url])
    images = models.ManyToManyField("images.Image", through="ProductImage", related_name="+")
    like_count = models.PositiveIntegerField(default=0)
    view_count = models.PositiveIntegerField(default=0)
    hidden_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ON_SALE)
    category = models.CharField(
        max_length=20,
        choices=CATEGORY_CHOICES,
        default=DEFAULT_CATEGORY,
    )
    # Add utm_source=tangerine to the store link on click-out (the seller may turn it off).
    utm = models.BooleanField(default=True)
    # Kept with F() in the transaction of each save and unsave.
    save_count = models.PositiveIntegerField(default=0)
    # Saves + click-outs of the last POPULAR_DAYS days (products.tracking.popularity_refresh).
    popularity = models.PositiveIntegerField(default=0)
    # The latest store-link check (products.linkcheck); the history is in LinkCheck.
    link_status = models.CharField(max_length=10, choices=LinkStatus.choices, default="unknown")
    link_checked_at = models.DateTimeField(null=True, blank=True)
    # Checks in a row that could not tell (timeouts, 5xx): three make a link broken.
    link_failures = models.PositiveSmallIntegerField(default=0)
    # What the store page last said, when it said it (minor units of store_currency).
    store_price = models.PositiveBigIntegerField(null=True, blank=True)
    store_currency = models.CharField(max_length=3, blank=True)
    store_availability = models.CharField(
        max_length=12, choices=StoreAvailability.choices, blank=True
    )

    objects = ProductQuerySet.as_manager()

    class Meta:
        indexes = [
            models.Index(fields=["-created_at", "-id"], name="product_latest"),
            models.Index(fields=["owner", "-created_at", "-id"], name="product_owner_latest"),
            # One index per sort of the list; each starts with the status grouping.
            models.Index(fields=["status", "-created_at", "-id"], name="product_sort_latest"),
            models.Index(fields=["status", "price", "-id"], name="product_sort_price_asc"),
            models.Index(fields=["status", "-price", "-id"], name="product_sort_price_desc"),
            models.Index(fields=["status", "-popularity", "-id"], name="product_sort_popular"),
            models.Index(
                fields=["category", "status", "-created_at", "-id"], name="product_cat_latest"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def store_issues(self) -> list[str]:
        """What the latest store-link check asks the seller to fix: ``link`` (broken),
        ``price`` (the store states another price in our currency), ``stock`` (the store is
        out of stock while this is on sale). Empty once the listing matches again."""
        issues: list[str] = []
        if self.link_status == LinkStatus.BROKEN:
            issues.append("link")
        if (
            self.store_price is not None
            and self.store_currency == self.currency
            and self.store_price != self.price
        ):
            issues.append("price")
        if self.store_availability == StoreAvailability.OUT_OF_STOCK and (
            self.status == Status.ON_SALE
        ):
            issues.append("stock")
        return issues


class ProductImage(models.Model):
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="product_images")
    image = models.ForeignKey("images.Image", on_delete=models.CASCADE, related_name="+")
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["product", "image"], name="product_image_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.product_id}#{self.position}"


class ProductSave(models.Model):
    """A user's 찜 of a product; unique per (product, user), so saving twice is harmless."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="saves")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="product_saves"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    day = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["product", "user"], name="product_save_unique"),
        ]
        indexes = [
            models.Index(fields=["user", "-created_at", "-id"], name="product_save_mine"),
            models.Index(fields=["product", "day"], name="product_save_day"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} saved {self.product_id}"


class ProductView(models.Model):
    """One detail-page view of a product by one viewer on one day (UTC).

    ``viewer`` is a salted hash of the user id or client address (products.tracking), never
    the address itself. The unique constraint makes counting one INSERT ... ON CONFLICT.
    """

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    viewer = models.CharField(max_length=32)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["product", "day", "viewer"], name="product_view_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"view {self.product_id} {self.day}"


class ProductClickOut(models.Model):
    """One click through to the store by one viewer on one day (same keying as views)."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    viewer = models.CharField(max_length=32)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["product", "day", "viewer"], name="product_clickout_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"click-out {self.product_id} {self.day}"


class LinkCheck(BaseModel):
    """One check of a product's store link (``created_at`` is when); newest first per product."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="link_checks")
    url = models.URLField(max_length=LINK_MAX_LENGTH)
    status = models.CharField(max_length=10, choices=LinkStatus.choices)
    http_status = models.PositiveSmallIntegerField(null=True, blank=True)
    final_url = models.CharField(max_length=LINK_MAX_LENGTH, blank=True)
    # The fetcher's refusal code (timeout, upstream_status, blocked_address, robots_disallowed …).
    error = models.CharField(max_length=32, blank=True)
    store_price = models.PositiveBigIntegerField(null=True, blank=True)
    store_currency = models.CharField(max_length=3, blank=True)
    store_availability = models.CharField(
        max_length=12, choices=StoreAvailability.choices, blank=True
    )

    class Meta:
        indexes = [
            models.Index(fields=["product", "-created_at", "-id"], name="link_check_latest"),
        ]

    def __str__(self) -> str:
        return f"{self.product_id}: {self.status}"


class StoreHost(BaseModel):
    """Politeness state of one store host: its robots.txt (read daily) and back-off."""

    name = models.CharField(max_length=255, unique=True)
    robots_txt = models.TextField(blank=True)
    robots_fetched_at = models.DateTimeField(null=True, blank=True)
    # Troubled checks in a row (timeouts, 429, 5xx); the host is left alone until next_attempt_at.
    failures = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.name
