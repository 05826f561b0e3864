"""Request and response bodies of search, events and recommendations (see docs/search.md)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from tangerine.accounts.serializers import UserBriefSerializer
from tangerine.images.serializers import ImageRefSerializer
from tangerine.search.selectors import KINDS, QUERY_MAX_LENGTH

EVENTS_MAX = 50
DWELL_MAX_MS = 3_600_000
PAGE_SIZE_MAX = 50


class SearchQuerySerializer(serializers.Serializer[dict[str, Any]]):
    q = serializers.CharField(max_length=QUERY_MAX_LENGTH, trim_whitespace=True)
    type = serializers.CharField(
        required=False,
        default="post,product,user",
        max_length=40,
        help_text="Comma-separated kinds: post, product, user (default all three).",
    )
    page = serializers.IntegerField(required=False, default=1, min_value=1, max_value=1000)
    page_size = serializers.IntegerField(
        required=False, default=20, min_value=1, max_value=PAGE_SIZE_MAX
    )

    def validate_type(self, value: str) -> list[str]:
        kinds = [k.strip() for k in value.split(",") if k.strip()]
        unknown = [k for k in kinds if k not in KINDS]
        if not kinds or unknown:
            raise serializers.ValidationError(
                f"Unknown type {', '.join(unknown) or '(empty)'}; use post, product or user."
            )
        return list(dict.fromkeys(kinds))


class PageQuerySerializer(serializers.Serializer[dict[str, Any]]):
    page = serializers.IntegerField(required=False, default=1, min_value=1, max_value=1000)
    page_size = serializers.IntegerField(
        required=False, default=20, min_value=1, max_value=PAGE_SIZE_MAX
    )


def first_image(obj: Any, relation: str) -> Any:
    links = list(getattr(obj, relation).all())
    return links[0].image if links else None


class ReasonItemSerializer(serializers.Serializer[dict[str, Any]]):
    kind = serializers.ChoiceField(choices=["post", "product"])
    uuid = serializers.UUIDField()
    title = serializers.CharField()


class ReasonSerializer(serializers.Serializer[dict[str, Any]]):
    kind = serializers.ChoiceField(choices=["liked", "commented", "dwelled", "popular"])
    item = ReasonItemSerializer(allow_null=True)


class _HitBase(serializers.Serializer[Any]):
    kind = serializers.CharField()
    score = serializers.FloatField()
    highlights = serializers.ListField(child=serializers.CharField())


class PostHitSerializer(_HitBase):
    uuid = serializers.UUIDField(source="obj.uuid")
    title = serializers.CharField(source="obj.title")
    snippet = serializers.CharField()
    snippet_html = serializers.CharField(
        help_text="The snippet, HTML-escaped, with <mark> around matched terms."
    )
    author = UserBriefSerializer(source="obj.author")
    like_count = serializers.IntegerField(source="obj.like_count")
    comment_count = serializers.IntegerField(source="obj.comment_count")
    created_at = serializers.DateTimeField(source="obj.created_at")


class ProductHitSerializer(_HitBase):
    uuid = serializers.UUIDField(source="obj.uuid")
    name = serializers.CharField(source="obj.name")
    snippet = serializers.CharField()
    snippet_html = serializers.CharField()
    price = serializers.IntegerField(source="obj.price")
    currency = serializers.CharField(source="obj.currency")
    image = serializers.SerializerMethodField()
    owner = UserBriefSerializer(source="obj.owner")
    created_at = serializers.DateTimeField(source="obj.created_at")

    @extend_schema_field(ImageRefSerializer(allow_null=True))
    def get_image(self, hit: Any) -> Any:
        image = first_image(hit.obj, "product_images")
        return ImageRefSerializer(image).data if image is not None else None


class UserHitSerializer(_HitBase):
    handle = serializers.CharField(source="obj.handle")
    display_name = serializers.CharField(source="obj.display_name")
    profile_image = ImageRefSerializer(source="obj.profile_image", allow_null=True)
    follower_count = serializers.IntegerField(source="obj.follower_count")


def _section(hit_serializer: type[serializers.Serializer[Any]]) -> type:
    name = hit_serializer.__name__.replace("HitSerializer", "SearchSection")
    return type(
        name,
        (serializers.Serializer,),
        {
            "count": serializers.IntegerField(),
            "page": serializers.IntegerField(),
            "next": serializers.URLField(allow_null=True),
            "previous": serializers.URLField(allow_null=True),
            "results": hit_serializer(many=True),
        },
    )


class SearchResponseSerializer(serializers.Serializer[dict[str, Any]]):
    q = serializers.CharField()
    dense = serializers.BooleanField(help_text="False when ranking used keywords only.")
    degraded = serializers.BooleanField(
        help_text="True when the vector store or embedding model was unavailable."
    )
    post = _section(PostHitSerializer)(required=False)
    product = _section(ProductHitSerializer)(required=False)
    user = _section(UserHitSerializer)(required=False)


class EventSerializer(serializers.Serializer[dict[str, Any]]):
    target = serializers.UUIDField()
    kind = serializers.ChoiceField(choices=["post", "product"])
    dwell_ms = serializers.IntegerField(min_value=0, max_value=DWELL_MAX_MS, default=0)
    type = serializers.ChoiceField(
        choices=["view", "dwell"],
        required=False,
        help_text="Optional; every event counts as a view, dwell_ms feeds recommendations.",
    )


class RecommendedPostSerializer(serializers.Serializer[Any]):
    uuid = serializers.UUIDField(source="obj.uuid")
    author = UserBriefSerializer(source="obj.author")
    title = serializers.CharField(source="obj.title")
    text = serializers.CharField(source="obj.text")
    category = serializers.CharField(source="obj.category")
    image = serializers.SerializerMethodField()
    view_count = serializers.IntegerField(source="obj.view_count")
    like_count = serializers.IntegerField(source="obj.like_count")
    comment_count = serializers.IntegerField(source="obj.comment_count")
    created_at = serializers.DateTimeField(source="obj.created_at")
    score = serializers.FloatField()
    reason = ReasonSerializer()

    @extend_schema_field(ImageRefSerializer(allow_null=True))
    def get_image(self, rec: Any) -> Any:
        image = first_image(rec.obj, "post_images")
        return ImageRefSerializer(image).data if image is not None else None


class RecommendedProductSerializer(serializers.Serializer[Any]):
    """For the products engineer's ``/api/products/recommend/`` (see docs/search.md)."""

    uuid = serializers.UUIDField(source="obj.uuid")
    owner = UserBriefSerializer(source="obj.owner")
    name = serializers.CharField(source="obj.name")
    price = serializers.IntegerField(source="obj.price")
    currency = serializers.CharField(source="obj.currency")
    link = serializers.CharField(source="obj.link")
    image = serializers.SerializerMethodField()
    like_count = serializers.IntegerField(source="obj.like_count")
    created_at = serializers.DateTimeField(source="obj.created_at")
    score = serializers.FloatField()
    reason = ReasonSerializer()

    @extend_schema_field(ImageRefSerializer(allow_null=True))
    def get_image(self, rec: Any) -> Any:
        image = first_image(rec.obj, "product_images")
        return ImageRefSerializer(image).data if image is not None else None


class RecommendPageSerializer(serializers.Serializer[dict[str, Any]]):
    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    personal = serializers.BooleanField(help_text="True when ranked by the viewer's taste.")
    degraded = serializers.BooleanField()
    results = RecommendedPostSerializer(many=True)
