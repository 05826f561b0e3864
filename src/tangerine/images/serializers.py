from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.validators import RegexValidator
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from tangerine.core.schema import NOT_BLANK, StrictCharField
from tangerine.images.models import Image
from tangerine.images.services import ALLOWED_CONTENT_TYPES, FILENAME_MAX_LENGTH
from tangerine.integrations.storage import image_storage


class ImageVariantSerializer(serializers.Serializer[dict[str, Any]]):
    url = serializers.CharField()
    width = serializers.IntegerField()
    height = serializers.IntegerField(required=False)
    format = serializers.ChoiceField(choices=["jpeg", "webp"])


def variants_for(image: Image, storage: Any = None) -> list[dict[str, Any]]:
    """Served variants with their URLs; nothing until the image is ready (never the original).

    ``storage``: the backend to build URLs with, to share one across a page of images."""
    if image.status != Image.Status.READY:
        return []
    storage = storage or image_storage()
    return [
        {
            "url": storage.variant_url(key=variant["key"]),
            "width": variant["width"],
            "height": variant.get("height"),
            "format": variant["format"],
        }
        for variant in image.variants
    ]


def image_ref(image: Image, storage: Any = None) -> dict[str, Any]:
    """``ImageRefSerializer``'s representation, built directly: a page of posts or products
    renders dozens of images, and a serializer per image cost more than the rest of the page's
    rendering (bench/README.md, "CPU per request"). ``tests/images`` pins the two as equal."""
    return {
        "uuid": str(image.uuid),
        "status": str(image.status),
        "width": image.width,
        "height": image.height,
        "variants": variants_for(image, storage),
    }


def image_refs(images: Iterable[Image]) -> list[dict[str, Any]]:
    """``image_ref`` of each image, with one storage backend for them all, built only when one
    of them is ready (most cards have no image, or none with variants yet)."""
    storage = None
    refs = []
    for image in images:
        if storage is None and image.status == Image.Status.READY:
            storage = image_storage()
        refs.append(image_ref(image, storage))
    return refs


class ImageRefSerializer(serializers.ModelSerializer[Image]):
    """How an attached image appears inside a post, product or profile."""

    variants = serializers.SerializerMethodField()

    class Meta:
        model = Image
        fields = ["uuid", "status", "width", "height", "variants"]
        read_only_fields = fields

    @extend_schema_field(ImageVariantSerializer(many=True))
    def get_variants(self, image: Image) -> list[dict[str, Any]]:
        return variants_for(image)

    def to_representation(self, instance: Image) -> dict[str, Any]:
        # The same fields as the declared ones, without building a field object per image.
        return image_ref(instance)


class ImageSerializer(ImageRefSerializer):
    """``GET /api/images/{uuid}/``: status, the failure reason if any, and the variants."""

    error = serializers.SerializerMethodField()

    class Meta(ImageRefSerializer.Meta):
        fields = ["uuid", "status", "error", "width", "height", "variants"]
        read_only_fields = fields

    def to_representation(self, instance: Image) -> dict[str, Any]:
        return serializers.ModelSerializer.to_representation(self, instance)

    def get_error(self, image: Image) -> str | None:
        return image.error or None if image.status == Image.Status.FAILED else None


class UploadGrantInputSerializer(serializers.Serializer[dict[str, Any]]):
    # A JSON string (a number is a 400) with something besides spaces, as the service checks.
    filename = StrictCharField(
        max_length=FILENAME_MAX_LENGTH, validators=[RegexValidator(NOT_BLANK)]
    )
    content_type = serializers.ChoiceField(
        choices=list(ALLOWED_CONTENT_TYPES),
        error_messages={
            "invalid_choice": f"Only {', '.join(ALLOWED_CONTENT_TYPES)} images may be uploaded."
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The limit of this process's settings, also as the schema's ``maximum``.
        limit = settings.IMAGE_MAX_UPLOAD_BYTES
        message = f"An image must be 1 to {limit} bytes."
        self.fields["size"] = serializers.IntegerField(
            min_value=1,
            max_value=limit,
            error_messages={"min_value": message, "max_value": message},
        )


class UploadGrantSerializer(serializers.Serializer[dict[str, Any]]):
    uuid = serializers.UUIDField()
    url = serializers.CharField(
        help_text="Where to POST the multipart form (relative to the API origin for local storage)."
    )
    # "fields" is the contract's name; DRF's metaclass moves declared fields off the class, so
    # this does not shadow Serializer.fields at runtime (the stubs cannot know that).
    fields = serializers.DictField(  # type: ignore[assignment]
        child=serializers.CharField(),
        help_text="Form fields to send, in this order, before the `file` field.",
    )
    expires_at = serializers.DateTimeField()
