from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from tangerine.accounts.serializers import UserBriefSerializer
from tangerine.notifications.models import Kind, Notification, TargetType

MARK_READ_MAX_UUIDS = 100


class NotificationTargetSerializer(serializers.Serializer[dict[str, Any]]):
    type = serializers.ChoiceField(choices=TargetType.choices)
    uuid = serializers.UUIDField()
    preview = serializers.CharField()
    post = serializers.UUIDField(
        allow_null=True, help_text="The post a comment, reply or like belongs to, if any."
    )


class NotificationSerializer(serializers.ModelSerializer[Notification]):
    """One notification; ``actor`` is null for moderation notices and deleted accounts."""

    kind = serializers.ChoiceField(choices=Kind.choices, read_only=True)
    actor = UserBriefSerializer(read_only=True, allow_null=True)
    target = serializers.SerializerMethodField()
    read = serializers.BooleanField(source="is_read", read_only=True)

    class Meta:
        model = Notification
        fields = ["uuid", "kind", "actor", "target", "read", "created_at"]
        read_only_fields = fields

    @extend_schema_field(NotificationTargetSerializer)
    def get_target(self, notification: Notification) -> dict[str, Any]:
        return {
            "type": notification.target_type,
            "uuid": str(notification.target_uuid),
            "preview": notification.preview,
            "post": str(notification.post_uuid) if notification.post_uuid else None,
        }


class NotificationPageSerializer(serializers.Serializer[dict[str, Any]]):
    """Schema only: a cursor page plus the recipient's unread count."""

    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = NotificationSerializer(many=True)
    unread_count = serializers.IntegerField(min_value=0)


class UnreadCountSerializer(serializers.Serializer[dict[str, Any]]):
    unread_count = serializers.IntegerField(min_value=0)


class MarkReadSerializer(serializers.Serializer[dict[str, Any]]):
    """Exactly one of ``uuids`` (up to 100) or ``"all": true``."""

    uuids = serializers.ListField(
        child=serializers.UUIDField(),
        required=False,
        allow_empty=False,
        max_length=MARK_READ_MAX_UUIDS,
    )
    all = serializers.BooleanField(required=False)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        has_uuids = "uuids" in attrs
        mark_all = attrs.get("all") is True
        if has_uuids and mark_all:
            raise serializers.ValidationError(
                {"non_field_errors": ['Send either "uuids" or "all": true, not both.']}
            )
        if not has_uuids and not mark_all:
            raise serializers.ValidationError(
                {"non_field_errors": ['Send "uuids" (notification uuids) or "all": true.']}
            )
        return attrs
