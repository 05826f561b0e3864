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

    objects = ProductQuerySet.as_manager()

    class Meta:
        indexes = [
            models.Index(fields=["-created_at", "-id"], name="product_latest"),
            models.Index(fields=["owner", "-created_at", "-id"], name="product_owner_latest"),
        ]

    def __str__(self) -> str:
        return self.name


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
