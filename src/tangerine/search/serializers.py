"""Request and response bodies of search, events and recommendations (see docs/search.md)."""

from __future__ import annotations

from typing import Any

from django.core.validators import RegexValidator
from drf_spectacular.utils import PolymorphicProxySerializer, extend_schema_field
from rest_framework import serializers

from tangerine.accounts.serializers import UserBriefSerializer, user_brief
from tangerine.core.cards import CardSerializerMixin
from tangerine.core.formats import iso_datetime
from tangerine.core.schema import NOT_BLANK, SPACE
from tangerine.images.serializers import ImageRefSerializer, image_ref
from tangerine.products.serializers import ProductSerializer
from tangerine.search.selectors import KINDS, QUERY_MAX_LENGTH

EVENTS_MAX = 50
DWELL_MAX_MS = 3_600_000
PAGE_SIZE_MAX = 50


# ``type``: comma-separated kinds, spaces and empty items aside, at least one (validate_type).
_KIND = "(?:" + "|".join(KINDS) + ")"
TYPE_PATTERN = rf"^[{SPACE},]*{_KIND}(?:[{SPACE}]*,[{SPACE},]*{_KIND})*[{SPACE},]*$"


class SearchQuerySerializer(serializers.Serializer[dict[str, Any]]):
    """Read from ``core.schema.query_data``: a blank ``?type=`` is a 400, not the default."""

    q = serializers.CharField(
        max_length=QUERY_MAX_LENGTH, trim_whitespace=True, validators=[RegexValidator(NOT_BLANK)]
    )
    type = serializers.CharField(
        required=False,
        default="post,product,user",
        max_length=40,
        validators=[RegexValidator(TYPE_PATTERN, message="Use post, product or user.")],
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


# Hits are cards (core/cards.py): built by plain functions with exactly the output of the
# declared fields, which stay for the schema. DRF's field walk (dotted sources, a nested
# serializer per author and image) cost more CPU than the rest of a user search (issue 17:
# ~1 ms of a ~5 ms request). ``tests/search/test_hit_cards.py`` pins both as equal.


def _hit(hit: Any) -> dict[str, Any]:
    """``_HitBase``'s fields."""
    return {
        "kind": str(hit.kind),
        "score": float(hit.score),
        "highlights": [None if word is None else str(word) for word in hit.highlights],
    }


def post_hit_card(hit: Any) -> dict[str, Any]:
    """``PostHitSerializer``'s fields for one hit, in their order."""
    post = hit.obj
    return {
        **_hit(hit),
        "uuid": str(post.uuid),
        "title": str(post.title),
        "snippet": str(hit.snippet),
        "snippet_html": str(hit.snippet_html),
        "author": user_brief(post.author),
        "like_count": int(post.like_count),
        "comment_count": int(post.comment_count),
        "created_at": iso_datetime(post.created_at),
    }


def _product_image(product: Any) -> dict[str, Any] | None:
    image = first_image(product, "product_images")
    return image_ref(image) if image is not None else None


def product_hit_card(hit: Any) -> dict[str, Any]:
    """``ProductHitSerializer``'s fields for one hit, in their order."""
    product = hit.obj
    return {
        **_hit(hit),
        "uuid": str(product.uuid),
        "name": str(product.name),
        "snippet": str(hit.snippet),
        "snippet_html": str(hit.snippet_html),
        "price": int(product.price),
        "currency": str(product.currency),
        "image": _product_image(product),
        "owner": user_brief(product.owner),
        "created_at": iso_datetime(product.created_at),
    }


def user_hit_card(hit: Any) -> dict[str, Any]:
    """``UserHitSerializer``'s fields for one hit, in their order."""
    user = hit.obj
    image = user.profile_image if user.profile_image_id is not None else None
    return {
        **_hit(hit),
        "handle": str(user.handle),
        "display_name": str(user.display_name),
        "profile_image": image_ref(image) if image is not None else None,
        "follower_count": int(user.follower_count),
    }


HIT_CARDS = {"post": post_hit_card, "product": product_hit_card, "user": user_hit_card}


def top_hit_card(hit: Any) -> dict[str, Any]:
    """A hit of any kind in the merged ranking (``top``): its own kind's card."""
    return HIT_CARDS[hit.kind](hit)


class _HitBase(CardSerializerMixin, serializers.Serializer[Any]):
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

    card = staticmethod(post_hit_card)


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

    card = staticmethod(product_hit_card)

    @extend_schema_field(ImageRefSerializer(allow_null=True))
    def get_image(self, hit: Any) -> Any:
        return _product_image(hit.obj)


class UserHitSerializer(_HitBase):
    handle = serializers.CharField(source="obj.handle")
    display_name = serializers.CharField(source="obj.display_name")
    profile_image = ImageRefSerializer(source="obj.profile_image", allow_null=True)
    follower_count = serializers.IntegerField(source="obj.follower_count")

    card = staticmethod(user_hit_card)


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


class TopSearchSectionSerializer(serializers.Serializer[dict[str, Any]]):
    count = serializers.IntegerField()
    page = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = PolymorphicProxySerializer(
        component_name="SearchTopHit",
        serializers={
            "post": PostHitSerializer,
            "product": ProductHitSerializer,
            "user": UserHitSerializer,
        },
        resource_type_field_name="kind",
        many=True,
        help_text="Posts, products (and users matching by handle or name prefix) in one "
        "ranking by `score`, which is comparable across kinds.",
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
    top = TopSearchSectionSerializer(
        required=False,
        help_text="When posts or products and another kind are requested: every requested "
        "kind merged in one ranking by `score` (the per-kind sections stay as they are). "
        "Paged like the sections.",
    )
    suggestions = serializers.ListField(
        child=serializers.CharField(),
        required=False,
        help_text="Only when nothing was found: corrected spellings and related words to try.",
    )


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


class RecommendedProductItemSerializer(ProductSerializer):
    """A full product (as everywhere else) with its recommendation ``score`` and ``reason``."""

    score = serializers.FloatField(read_only=True)
    reason = ReasonSerializer(read_only=True)

    class Meta(ProductSerializer.Meta):
        fields = [*ProductSerializer.Meta.fields, "score", "reason"]
        read_only_fields = fields

    def to_representation(self, instance: Any) -> Any:
        data = ProductSerializer(instance.obj, context=self.context).data
        data["score"] = instance.score
        data["reason"] = ReasonSerializer(instance.reason).data
        return data


class ProductRecommendPageSerializer(serializers.Serializer[dict[str, Any]]):
    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    personal = serializers.BooleanField(help_text="True when ranked by the viewer's taste.")
    degraded = serializers.BooleanField(help_text="True when the vector store was unavailable.")
    results = RecommendedProductItemSerializer(many=True)


MATCH_HELP = (
    "dense: near in meaning; keyword: shares words (vector store down or item not embedded "
    "yet); same_owner: another item of the same author or owner."
)


class SimilarProductSerializer(ProductSerializer):
    """A full product with how similar it is (``score``) and how it was found (``match``)."""

    score = serializers.FloatField(read_only=True)
    match = serializers.ChoiceField(
        choices=["dense", "keyword", "same_owner"], read_only=True, help_text=MATCH_HELP
    )

    class Meta(ProductSerializer.Meta):
        fields = [*ProductSerializer.Meta.fields, "score", "match"]
        read_only_fields = fields

    def to_representation(self, instance: Any) -> Any:
        data = ProductSerializer(instance.obj, context=self.context).data
        data["score"] = instance.score
        data["match"] = instance.match
        return data


class SimilarPostSerializer(serializers.Serializer[Any]):
    """A post card (like a recommended post) with ``score`` and ``match``."""

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
    match = serializers.ChoiceField(
        choices=["dense", "keyword", "same_owner"], help_text=MATCH_HELP
    )

    @extend_schema_field(ImageRefSerializer(allow_null=True))
    def get_image(self, item: Any) -> Any:
        image = first_image(item.obj, "post_images")
        return ImageRefSerializer(image).data if image is not None else None


class _SimilarPageBase(serializers.Serializer[dict[str, Any]]):
    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    degraded = serializers.BooleanField(
        help_text="True when found by keywords (vector store down or the item has no vector)."
    )


class SimilarProductPageSerializer(_SimilarPageBase):
    results = SimilarProductSerializer(many=True)


class SimilarPostPageSerializer(_SimilarPageBase):
    results = SimilarPostSerializer(many=True)
