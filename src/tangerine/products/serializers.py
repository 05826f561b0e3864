from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from tangerine.accounts.serializers import UserBriefSerializer, user_brief
from tangerine.core.cards import CardSerializerMixin
from tangerine.core.formats import iso_datetime
from tangerine.core.schema import HttpUrlField, HttpUrlTextField, StrictBooleanField
from tangerine.images.cards import card_images
from tangerine.images.serializers import ImageRefSerializer, image_refs
from tangerine.products.models import (
    CATEGORIES,
    CURRENCIES,
    DESCRIPTION_MAX_LENGTH,
    LINK_MAX_LENGTH,
    MAX_IMAGES,
    NAME_MAX_LENGTH,
    PRICE_MAX,
    LinkCheck,
    LinkStatus,
    Product,
    Status,
)

# A product card is built by ``product_card`` with exactly the declared fields' output (they
# stay for the schema): DRF's field-by-field walk, a nested author and store-check serializer
# and an image serializer per product were most of a page's rendering.
# ``tests/products/test_product_cards.py`` pins both as equal.
_datetime = iso_datetime  # DRF's DateTimeField output (core/formats.py)


def _choice(value: Any, keys: dict[str, str]) -> Any:
    """``ChoiceField.to_representation``: a stored choice as its key, blank as it is."""
    if value in ("", None):
        return value
    return keys.get(str(value), value)


def _int(value: Any) -> int | None:
    return None if value is None else int(value)


def _bool(value: Any) -> bool | None:
    return None if value is None else bool(value)


class StoreCheckSerializer(serializers.Serializer[Product]):
    """The latest store-link check of a product (products.linkcheck), shown to everyone: buyers
    see a quiet badge while ``issues`` is not empty, the seller sees the one-tap fix."""

    link_status = serializers.ChoiceField(choices=LinkStatus.choices, read_only=True)
    checked_at = serializers.DateTimeField(
        source="link_checked_at", read_only=True, allow_null=True
    )
    store_price = serializers.IntegerField(read_only=True, allow_null=True)
    store_currency = serializers.CharField(read_only=True)
    store_availability = serializers.CharField(read_only=True)
    issues = serializers.SerializerMethodField()

    @extend_schema_field(
        serializers.ListField(child=serializers.ChoiceField(choices=["link", "price", "stock"]))
    )
    def get_issues(self, product: Product) -> list[str]:
        return product.store_issues


_STATUS = {str(value): value for value in Status.values}
_CURRENCY = {str(code): code for code in CURRENCIES}
_CATEGORY = {str(code): code for code in CATEGORIES}
_LINK_STATUS = {str(value): value for value in LinkStatus.values}


def images_of(product: Product) -> list[Any]:
    """The product's images by position: the ``card_images`` column of ``selectors.product_qs``
    (no query), else its ``product_images`` (prefetch them with their images: otherwise a
    query for the links and one per image)."""
    if hasattr(product, "card_images"):
        return card_images(product.card_images)
    links = sorted(product.product_images.all(), key=lambda pi: (pi.position, pi.pk))
    return [pi.image for pi in links]


def product_card(product: Product) -> dict[str, Any]:
    """``ProductSerializer``'s fields for one product, in their order."""
    return {
        "uuid": str(product.uuid),
        "owner": user_brief(product.owner),
        "name": str(product.name),
        "description": str(product.description),
        "price": _int(product.price),
        "currency": _choice(product.currency, _CURRENCY),
        "link": str(product.link),
        "images": image_refs(images_of(product)),
        "like_count": _int(product.like_count),
        "view_count": _int(product.view_count),
        "status": _choice(product.status, _STATUS),
        "category": _choice(product.category, _CATEGORY),
        "utm": _bool(product.utm),
        "save_count": _int(product.save_count),
        "saved": _bool(getattr(product, "saved", False)),
        "created_at": _datetime(product.created_at),
        "updated_at": _datetime(product.updated_at),
        "store_check": {
            "link_status": _choice(product.link_status, _LINK_STATUS),
            "checked_at": _datetime(product.link_checked_at),
            "store_price": _int(product.store_price),
            "store_currency": str(product.store_currency),
            "store_availability": str(product.store_availability),
            "issues": product.store_issues,
        },
    }


class ProductSerializer(CardSerializerMixin, serializers.ModelSerializer[Product]):
    owner = UserBriefSerializer(read_only=True)
    images = serializers.SerializerMethodField()
    saved = serializers.BooleanField(
        read_only=True, default=False, help_text="Whether the viewer saved (찜) it."
    )
    store_check = StoreCheckSerializer(source="*", read_only=True)

    class Meta:
        model = Product
        fields = [
            "uuid",
            "owner",
            "name",
            "description",
            "price",
            "currency",
            "link",
            "images",
            "like_count",
            "view_count",
            "status",
            "category",
            "utm",
            "save_count",
            "saved",
            "created_at",
            "updated_at",
            "store_check",
        ]
        read_only_fields = fields

    card = staticmethod(product_card)

    @extend_schema_field(ImageRefSerializer(many=True))
    def get_images(self, product: Product) -> Any:
        return image_refs(images_of(product))


class ProductInputSerializer(serializers.Serializer[dict[str, Any]]):
    """What a client may write. Owner, counters and visibility are never writable."""

    name = serializers.CharField(max_length=NAME_MAX_LENGTH)
    description = serializers.CharField(
        max_length=DESCRIPTION_MAX_LENGTH, allow_blank=True, required=False, default=""
    )
    price = serializers.IntegerField(
        min_value=0,
        max_value=PRICE_MAX,
        help_text="In the currency's minor unit (KRW has none: 12900 means ₩12,900).",
    )
    currency = serializers.ChoiceField(choices=list(CURRENCIES), default="KRW", required=False)
    link = HttpUrlField(max_length=LINK_MAX_LENGTH)
    images = serializers.ListField(
        child=serializers.UUIDField(),
        max_length=MAX_IMAGES,
        required=False,
        default=list,
        help_text=f"Image uuids in display order (at most {MAX_IMAGES}, your own uploads).",
    )
    # No defaults: left out on PUT or PATCH, they keep their value (on create: the model's).
    status = serializers.ChoiceField(
        choices=Status.choices, required=False, help_text="on_sale (default), reserved, sold_out."
    )
    category = serializers.ChoiceField(
        choices=list(CATEGORIES),
        required=False,
        help_text="A code of GET /api/products/categories/ (default: other).",
    )
    utm = StrictBooleanField(
        required=False, help_text="Add utm_source=tangerine to the store link (default true)."
    )


class PreviewInputSerializer(serializers.Serializer[dict[str, Any]]):
    url = HttpUrlTextField(max_length=LINK_MAX_LENGTH)  # the view checks it (invalid_url)


class PreviewSerializer(serializers.Serializer[dict[str, Any]]):
    title = serializers.CharField(allow_null=True)
    price = serializers.IntegerField(allow_null=True, help_text="In the currency's minor unit.")
    currency = serializers.CharField(allow_null=True)
    image = serializers.CharField(allow_null=True)
    url = serializers.CharField()


class LinkCheckSerializer(serializers.ModelSerializer[LinkCheck]):
    checked_at = serializers.DateTimeField(source="created_at", read_only=True)

    class Meta:
        model = LinkCheck
        fields = [
            "uuid",
            "checked_at",
            "url",
            "status",
            "http_status",
            "final_url",
            "error",
            "store_price",
            "store_currency",
            "store_availability",
        ]
        read_only_fields = fields


class ProductCategorySerializer(serializers.Serializer[dict[str, Any]]):
    code = serializers.CharField()
    label_ko = serializers.CharField()
    label_en = serializers.CharField()


class ProductListQuerySerializer(serializers.Serializer[dict[str, Any]]):
    """Filters and sort of ``GET /api/products/``; prices inclusive, in minor units."""

    category = serializers.ChoiceField(choices=list(CATEGORIES), required=False)
    status = serializers.ChoiceField(choices=Status.choices, required=False)
    min_price = serializers.IntegerField(min_value=0, max_value=PRICE_MAX, required=False)
    max_price = serializers.IntegerField(min_value=0, max_value=PRICE_MAX, required=False)
    sort = serializers.ChoiceField(
        choices=["latest", "price_asc", "price_desc", "popular"], default="latest"
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        low, high = attrs.get("min_price"), attrs.get("max_price")
        if low is not None and high is not None and low > high:
            raise serializers.ValidationError(
                {"min_price": ["min_price must not be greater than max_price."]}
            )
        return attrs


class InsightsQuerySerializer(serializers.Serializer[dict[str, Any]]):
    """``from`` and ``to`` (inclusive days, YYYY-MM-DD); default the last 30 days."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # "from" is a Python keyword: declare the fields by name.
        self.fields["from"] = serializers.DateField(required=False)
        self.fields["to"] = serializers.DateField(required=False)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        from tangerine.products.insights import MAX_DAYS, default_range

        start, end = default_range(today=attrs.get("to"))
        start = attrs.get("from", start)
        if "from" in attrs and "to" not in attrs:
            end = max(end, start)
        if start > end:
            raise serializers.ValidationError({"from": ["from must not be after to."]})
        if (end - start).days + 1 > MAX_DAYS:
            raise serializers.ValidationError(
                {"from": [f"The range may span at most {MAX_DAYS} days."]}
            )
        return {"start": start, "end": end}


class InsightCountsSerializer(serializers.Serializer[dict[str, Any]]):
    views = serializers.IntegerField(help_text="Detail-page loads by others, one per viewer a day.")
    click_outs = serializers.IntegerField(
        help_text="Clicks through to the store, one per viewer a day."
    )
    saves = serializers.IntegerField(help_text="New saves (찜) still in place.")
    chats = serializers.IntegerField(help_text="Chat rooms about the product opened.")
    click_through_rate = serializers.FloatField(help_text="click_outs / views (0 without views).")


class InsightDaySerializer(InsightCountsSerializer):
    date = serializers.DateField()


class InsightTotalsSerializer(InsightCountsSerializer):
    unique_viewers = serializers.IntegerField(help_text="Distinct viewers over the range.")


class InsightProductSerializer(serializers.ModelSerializer[Product]):
    class Meta:
        model = Product
        fields = ["uuid", "name", "price", "currency", "status"]
        read_only_fields = fields


class TopProductSerializer(InsightCountsSerializer):
    product = InsightProductSerializer()


class _InsightsBase(serializers.Serializer[dict[str, Any]]):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["from"] = serializers.DateField()
        self.fields["to"] = serializers.DateField()

    totals = InsightTotalsSerializer()
    days = InsightDaySerializer(many=True)


class ProductInsightsSerializer(_InsightsBase):
    product = InsightProductSerializer()


class SellerInsightsSerializer(_InsightsBase):
    top_products = TopProductSerializer(many=True)
