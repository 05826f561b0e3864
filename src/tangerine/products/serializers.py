from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from tangerine.accounts.serializers import UserBriefSerializer
from tangerine.core.validators import validate_http_url
from tangerine.images.serializers import ImageRefSerializer
from tangerine.products.models import (
    CURRENCIES,
    DESCRIPTION_MAX_LENGTH,
    LINK_MAX_LENGTH,
    MAX_IMAGES,
    NAME_MAX_LENGTH,
    PRICE_MAX,
    Product,
)


class ProductSerializer(serializers.ModelSerializer[Product]):
    owner = UserBriefSerializer(read_only=True)
    images = serializers.SerializerMethodField()

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
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(ImageRefSerializer(many=True))
    def get_images(self, product: Product) -> Any:
        # product_images is prefetched (with the images) by the selector: no query per row.
        return ImageRefSerializer([pi.image for pi in product.product_images.all()], many=True).data


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
    link = serializers.URLField(max_length=LINK_MAX_LENGTH, validators=[validate_http_url])
    images = serializers.ListField(
        child=serializers.UUIDField(),
        max_length=MAX_IMAGES,
        required=False,
        default=list,
        help_text=f"Image uuids in display order (at most {MAX_IMAGES}, your own uploads).",
    )


class PreviewInputSerializer(serializers.Serializer[dict[str, Any]]):
    url = serializers.CharField(max_length=LINK_MAX_LENGTH)


class PreviewSerializer(serializers.Serializer[dict[str, Any]]):
    title = serializers.CharField(allow_null=True)
    price = serializers.IntegerField(allow_null=True, help_text="In the currency's minor unit.")
    currency = serializers.CharField(allow_null=True)
    image = serializers.CharField(allow_null=True)
    url = serializers.CharField()
