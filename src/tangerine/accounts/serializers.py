from __future__ import annotations

from typing import Any, cast

from rest_framework import serializers

from tangerine.accounts.models import HANDLE_MAX_LENGTH, User, handle_validator
from tangerine.core.schema import HttpUrlField
from tangerine.images.models import Image
from tangerine.images.selectors import images_for_attach
from tangerine.images.serializers import ImageRefSerializer, image_ref


class UserSerializer(serializers.ModelSerializer[User]):
    """A public profile. Never includes the e-mail address."""

    profile_image = ImageRefSerializer(read_only=True, allow_null=True)
    is_following = serializers.BooleanField(read_only=True, default=False)
    is_blocked = serializers.BooleanField(read_only=True, default=False)
    is_muted = serializers.BooleanField(read_only=True, default=False)
    # Declared: a read-only model field loses allow_blank, and an unset link is answered as "".
    link_1 = HttpUrlField(read_only=True, allow_blank=True)
    link_2 = HttpUrlField(read_only=True, allow_blank=True)

    class Meta:
        model = User
        fields = [
            "uuid",
            "handle",
            "display_name",
            "bio",
            "link_1",
            "link_2",
            "profile_image",
            "follower_count",
            "following_count",
            "is_following",
            "is_blocked",
            "is_muted",
            "is_staff",
            "created_at",
        ]
        read_only_fields = fields


class MeSerializer(UserSerializer):
    """The owner's view of their own account: adds the e-mail address, and whether the account
    has a password (deleting it asks for that password; a Google-only account proves itself
    with a fresh Google sign-in instead)."""

    has_password = serializers.SerializerMethodField()

    class Meta(UserSerializer.Meta):
        fields = [*UserSerializer.Meta.fields, "email", "has_password"]
        read_only_fields = fields

    def get_has_password(self, user: User) -> bool:
        return user.has_usable_password()


def user_brief(user: User, storage: Any = None) -> dict[str, Any]:
    """``UserBriefSerializer``'s representation, built directly: every card of a page (posts,
    comments, products, notifications) has one or more, and DRF's field-by-field walk cost more
    than the rest of the card. ``tests/posts/test_cards.py`` pins the two as equal."""
    image = user.profile_image if user.profile_image_id is not None else None
    return {
        "handle": str(user.handle),
        "display_name": str(user.display_name),
        "profile_image": None if image is None else image_ref(image, storage),
    }


class UserBriefSerializer(serializers.ModelSerializer[User]):
    """How an author appears on a post, comment or message."""

    profile_image = ImageRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = User
        fields = ["handle", "display_name", "profile_image"]
        read_only_fields = fields

    def to_representation(self, instance: User) -> dict[str, Any]:
        # The declared fields' output (they stay for the schema), without DRF's walk.
        if type(self) is not UserBriefSerializer:  # a subclass with fields of its own
            return super().to_representation(instance)
        return user_brief(instance)


class TokenPairSerializer(serializers.Serializer[dict[str, Any]]):
    access = serializers.CharField()
    refresh = serializers.CharField(
        required=False,
        help_text="Absent when the request had `X-Refresh-Cookie: 1`: it is then a cookie.",
    )


class AuthResultSerializer(TokenPairSerializer):
    user = MeSerializer()


class RegistrationSerializer(serializers.Serializer[dict[str, Any]]):
    email = serializers.EmailField(max_length=254)
    handle = serializers.CharField(
        min_length=3, max_length=HANDLE_MAX_LENGTH, validators=[handle_validator]
    )
    password1 = serializers.CharField(max_length=128, write_only=True, trim_whitespace=False)
    password2 = serializers.CharField(max_length=128, write_only=True, trim_whitespace=False)
    display_name = serializers.CharField(max_length=50, required=False, allow_blank=True)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs["password1"] != attrs["password2"]:
            raise serializers.ValidationError({"password2": ["The two passwords differ."]})
        return attrs


class LoginSerializer(serializers.Serializer[dict[str, Any]]):
    email = serializers.EmailField(max_length=254)
    password = serializers.CharField(max_length=128, trim_whitespace=False)


class RefreshSerializer(serializers.Serializer[dict[str, Any]]):
    refresh = serializers.CharField(
        max_length=2048,
        required=False,
        help_text="Required unless the request has `X-Refresh-Cookie: 1` and the cookie.",
    )


class PasswordChangeSerializer(serializers.Serializer[dict[str, Any]]):
    old_password = serializers.CharField(max_length=128, trim_whitespace=False)
    new_password1 = serializers.CharField(max_length=128, trim_whitespace=False)
    new_password2 = serializers.CharField(max_length=128, trim_whitespace=False)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs["new_password1"] != attrs["new_password2"]:
            raise serializers.ValidationError({"new_password2": ["The two passwords differ."]})
        return attrs


class PasswordResetSerializer(serializers.Serializer[dict[str, Any]]):
    email = serializers.EmailField(max_length=254)


class PasswordResetConfirmSerializer(PasswordChangeSerializer):
    old_password = None  # type: ignore[assignment]
    uid = serializers.CharField(max_length=64)
    token = serializers.CharField(max_length=128)


class GoogleConfigSerializer(serializers.Serializer[dict[str, Any]]):
    enabled = serializers.BooleanField()
    client_id = serializers.CharField()
    authorization_url = serializers.URLField()
    scope = serializers.CharField()


class GoogleLoginSerializer(serializers.Serializer[dict[str, Any]]):
    id_token = serializers.CharField(max_length=4096, required=False)
    code = serializers.CharField(max_length=2048, required=False)
    redirect_uri = serializers.URLField(max_length=500, required=False)
    code_verifier = serializers.CharField(max_length=128, required=False)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if bool(attrs.get("id_token")) == bool(attrs.get("code")):
            raise serializers.ValidationError(
                {"non_field_errors": ["Send either id_token or code."]}
            )
        if attrs.get("code") and not attrs.get("redirect_uri"):
            raise serializers.ValidationError({"redirect_uri": ["Required with a code."]})
        return attrs


class AccountDeleteSerializer(serializers.Serializer[dict[str, Any]]):
    """The proof account deletion asks for: ``current_password``, or for an account without a
    password (Google sign-in) a fresh Google sign-in as ``id_token`` or ``code`` (+
    ``redirect_uri``, ``code_verifier``) like the Google login."""

    current_password = serializers.CharField(max_length=128, trim_whitespace=False, required=False)
    id_token = serializers.CharField(max_length=4096, required=False)
    code = serializers.CharField(max_length=2048, required=False)
    redirect_uri = serializers.URLField(max_length=500, required=False)
    code_verifier = serializers.CharField(max_length=128, required=False)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        given = [name for name in ("current_password", "id_token", "code") if attrs.get(name)]
        if len(given) > 1:
            raise serializers.ValidationError(
                {"non_field_errors": ["Send one of current_password, id_token or code."]}
            )
        if attrs.get("code") and not attrs.get("redirect_uri"):
            raise serializers.ValidationError({"redirect_uri": ["Required with a code."]})
        return attrs


class DetailSerializer(serializers.Serializer[dict[str, Any]]):
    detail = serializers.CharField()


class UserUpdateSerializer(serializers.Serializer[dict[str, Any]]):
    handle = serializers.CharField(
        min_length=3, max_length=HANDLE_MAX_LENGTH, validators=[handle_validator]
    )
    display_name = serializers.CharField(max_length=50, allow_blank=True)
    bio = serializers.CharField(max_length=500, allow_blank=True)
    link_1 = HttpUrlField(allow_blank=True)
    link_2 = HttpUrlField(allow_blank=True)
    profile_image = serializers.UUIDField(allow_null=True)

    def validate_profile_image(self, value: Any) -> Image | None:
        if value is None:
            return None
        user = self.context["request"].user
        try:
            (image,) = images_for_attach(owner=user, uuids=[value], max_count=1)
        except serializers.ValidationError as exc:  # the same rule and words as posts' images
            raise serializers.ValidationError(cast(Any, exc.detail)["images"]) from None
        return image


class UserSearchQuerySerializer(serializers.Serializer[dict[str, Any]]):
    """``?q=`` of the people search: trimmed, 1 to 50 characters."""

    q = serializers.CharField(max_length=50, help_text="part of a handle or display name")
