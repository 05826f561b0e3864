from __future__ import annotations

from typing import Any

from django.core.files.storage import default_storage
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from tangerine.images.models import Image


class ImageVariantSerializer(serializers.Serializer[dict[str, Any]]):
    url = serializers.CharField()
    width = serializers.IntegerField()
    height = serializers.IntegerField(required=False)
    format = serializers.CharField()


class ImageRefSerializer(serializers.ModelSerializer[Image]):
    """How an attached image appears inside a post, product or profile."""

    variants = serializers.SerializerMethodField()

    class Meta:
        model = Image
        fields = ["uuid", "status", "width", "height", "variants"]
        read_only_fields = fields

    @extend_schema_field(ImageVariantSerializer(many=True))
    def get_variants(self, image: Image) -> list[dict[str, Any]]:
        if image.status != Image.Status.READY:
            return []
        return [
            {
                "url": default_storage.url(variant["key"]),
                "width": variant["width"],
                "height": variant.get("height"),
                "format": variant["format"],
            }
            for variant in image.variants
        ]
