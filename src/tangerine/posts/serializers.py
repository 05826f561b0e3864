"""Request and response bodies for posts, comments, replies and likes (SPEC.md field names)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from tangerine.accounts.serializers import UserBriefSerializer, user_brief
from tangerine.core.cards import CardSerializerMixin
from tangerine.core.formats import iso_datetime
from tangerine.core.schema import NonBlankCharField, StrictCharField
from tangerine.images.serializers import ImageRefSerializer, image_refs
from tangerine.posts import cards
from tangerine.posts.models import (
    COMMENT_MAX_LENGTH,
    MAX_IMAGES,
    MAX_TAGS,
    TEXT_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    Category,
    Comment,
    Post,
    Reply,
)

# Raw tags may repeat (they are deduplicated), so allow some slack before normalising; the
# normalised list is held to MAX_TAGS by the service.
RAW_TAGS_MAX = MAX_TAGS * 2
RAW_TAG_MAX_LENGTH = 64

# Cards (posts, comments, replies) are built by plain functions with exactly the output of
# the declared fields, which stay for validation of nothing (all read-only) and the schema:
# DRF's field-by-field walk (``get_attribute`` per field, a nested serializer per author) was
# most of a page's rendering. ``tests/posts/test_cards.py`` pins both as equal.
_datetime = iso_datetime  # DRF's DateTimeField output (core/formats.py)
_STATUS = {str(value): value for value in Post.Status.values}
_CATEGORY = {str(value): value for value in Category.values}


def _choice(value: Any, keys: dict[str, str]) -> Any:
    """``ChoiceField.to_representation``: a stored choice as its key, blank as it is."""
    if value in ("", None):
        return value
    return keys.get(str(value), value)


def _flag(item: Any, name: str) -> bool | None:
    """``BooleanField(default=False)`` over an annotation that may be missing."""
    value = getattr(item, name, False)
    return None if value is None else bool(value)


# ---- mentions ---------------------------------------------------------------------------


class MentionSerializer(serializers.Serializer[Any]):
    """A person mentioned as ``@handle`` in the text, whom the viewer may see: the app links
    ``@handle`` to their profile. Handles that name nobody visible are not listed."""

    handle = serializers.CharField(source="user.handle")
    display_name = serializers.CharField(source="user.display_name")


def _mentions(item: Post | Comment | Reply) -> list[dict[str, Any]]:
    """``MentionSerializer(many=True)``'s output, built directly (two serializer objects per
    item cost more than the rest of a page's rendering)."""
    return cards.mentions_of(item)


# ---- posts ------------------------------------------------------------------------------


class PostWriteSerializer(serializers.Serializer[dict[str, Any]]):
    title = StrictCharField(max_length=TITLE_MAX_LENGTH, allow_blank=True, default="")
    text = NonBlankCharField(max_length=TEXT_MAX_LENGTH)
    tags = serializers.ListField(
        child=StrictCharField(max_length=RAW_TAG_MAX_LENGTH, allow_blank=True),
        max_length=RAW_TAGS_MAX,
        default=list,
        help_text=(
            f"At most {MAX_TAGS} after normalising (lower case, no leading #, no spaces, "
            "duplicates dropped), each at most 30 characters."
        ),
    )
    category = serializers.ChoiceField(choices=Category.choices, allow_blank=True, default="")
    status = serializers.ChoiceField(choices=Post.Status.choices, default=Post.Status.PUBLISHED)
    images = serializers.ListField(
        child=serializers.UUIDField(),
        max_length=MAX_IMAGES,
        default=list,
        help_text="Uuids of the author's own uploaded images, in display order.",
    )


def post_card(post: Post) -> dict[str, Any]:
    """``PostSerializer``'s fields for one post, in their order."""
    return {
        "uuid": str(post.uuid),
        "author": user_brief(post.author),
        "title": str(post.title),
        "text": str(post.text),
        "mentions": _mentions(post),
        "tags": cards.tags_of(post),
        "category": _choice(post.category, _CATEGORY),
        "status": _choice(post.status, _STATUS),
        "images": image_refs(cards.images_of(post)),
        "view_count": int(post.view_count),
        "like_count": int(post.like_count),
        "comment_count": int(post.comment_count),
        "liked": _flag(post, "liked"),
        "created_at": _datetime(post.created_at),
        "updated_at": _datetime(post.updated_at),
    }


class PostSerializer(CardSerializerMixin, serializers.ModelSerializer[Post]):
    author = UserBriefSerializer(read_only=True)
    tags = serializers.SerializerMethodField()
    images = serializers.SerializerMethodField()
    mentions = serializers.SerializerMethodField()
    liked = serializers.BooleanField(read_only=True, default=False)
    # Declared: a read-only model field loses allow_blank, and "no category" is answered as "".
    category = serializers.ChoiceField(choices=Category.choices, allow_blank=True, read_only=True)

    class Meta:
        model = Post
        fields = [
            "uuid",
            "author",
            "title",
            "text",
            "mentions",
            "tags",
            "category",
            "status",
            "images",
            "view_count",
            "like_count",
            "comment_count",
            "liked",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    card = staticmethod(post_card)

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_tags(self, post: Post) -> list[str]:
        """In the order the author typed them."""
        return cards.tags_of(post)

    @extend_schema_field(MentionSerializer(many=True))
    def get_mentions(self, post: Post) -> Any:
        return _mentions(post)

    @extend_schema_field(ImageRefSerializer(many=True))
    def get_images(self, post: Post) -> Any:
        return image_refs(cards.images_of(post))


# ---- comments and replies ---------------------------------------------------------------


class CommentCreateSerializer(serializers.Serializer[dict[str, Any]]):
    post = serializers.UUIDField()
    text = NonBlankCharField(max_length=COMMENT_MAX_LENGTH)


class TextSerializer(serializers.Serializer[dict[str, Any]]):
    text = NonBlankCharField(max_length=COMMENT_MAX_LENGTH)


def comment_card(comment: Comment) -> dict[str, Any]:
    """``CommentSerializer``'s fields for one comment, in their order."""
    return {
        "uuid": str(comment.uuid),
        "post": str(comment.post.uuid),
        "author": user_brief(comment.author),
        "text": str(comment.text),
        "mentions": _mentions(comment),
        "like_count": int(comment.like_count),
        "liked": _flag(comment, "liked"),
        "reply_count": int(comment.reply_count),
        "created_at": _datetime(comment.created_at),
        "updated_at": _datetime(comment.updated_at),
        "edited_at": _datetime(comment.edited_at),
    }


class CommentSerializer(CardSerializerMixin, serializers.ModelSerializer[Comment]):
    post = serializers.UUIDField(source="post.uuid", read_only=True)
    author = UserBriefSerializer(read_only=True)
    mentions = serializers.SerializerMethodField()
    liked = serializers.BooleanField(read_only=True, default=False)

    class Meta:
        model = Comment
        fields = [
            "uuid",
            "post",
            "author",
            "text",
            "mentions",
            "like_count",
            "liked",
            "reply_count",
            "created_at",
            "updated_at",
            "edited_at",
        ]
        read_only_fields = fields

    card = staticmethod(comment_card)

    @extend_schema_field(MentionSerializer(many=True))
    def get_mentions(self, comment: Comment) -> Any:
        return _mentions(comment)


def reply_card(reply: Reply) -> dict[str, Any]:
    """``ReplySerializer``'s fields for one reply, in their order."""
    return {
        "uuid": str(reply.uuid),
        "comment": str(reply.comment.uuid),
        "post": str(reply.comment.post.uuid),
        "author": user_brief(reply.author),
        "text": str(reply.text),
        "mentions": _mentions(reply),
        "like_count": int(reply.like_count),
        "liked": _flag(reply, "liked"),
        "created_at": _datetime(reply.created_at),
        "updated_at": _datetime(reply.updated_at),
        "edited_at": _datetime(reply.edited_at),
    }


class ReplySerializer(CardSerializerMixin, serializers.ModelSerializer[Reply]):
    comment = serializers.UUIDField(source="comment.uuid", read_only=True)
    post = serializers.UUIDField(source="comment.post.uuid", read_only=True)
    author = UserBriefSerializer(read_only=True)
    mentions = serializers.SerializerMethodField()
    liked = serializers.BooleanField(read_only=True, default=False)

    class Meta:
        model = Reply
        fields = [
            "uuid",
            "comment",
            "post",
            "author",
            "text",
            "mentions",
            "like_count",
            "liked",
            "created_at",
            "updated_at",
            "edited_at",
        ]
        read_only_fields = fields

    card = staticmethod(reply_card)

    @extend_schema_field(MentionSerializer(many=True))
    def get_mentions(self, reply: Reply) -> Any:
        return _mentions(reply)


# ---- likes ------------------------------------------------------------------------------


class PostLikeCreateSerializer(serializers.Serializer[dict[str, Any]]):
    post = serializers.UUIDField()


class CommentLikeCreateSerializer(serializers.Serializer[dict[str, Any]]):
    comment = serializers.UUIDField()


class ReplyLikeCreateSerializer(serializers.Serializer[dict[str, Any]]):
    reply = serializers.UUIDField()


class LikeStateSerializer(serializers.Serializer[dict[str, Any]]):
    like_count = serializers.IntegerField()
    liked = serializers.BooleanField()


# ---- tags -------------------------------------------------------------------------------


class TrendingTagSerializer(serializers.Serializer[dict[str, Any]]):
    name = serializers.CharField(help_text="the normalised tag, without #")
    post_count = serializers.IntegerField(help_text="published posts with it in the last 24 h")
