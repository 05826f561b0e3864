from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from tangerine.accounts.serializers import UserBriefSerializer, user_brief
from tangerine.core.cards import CardSerializerMixin
from tangerine.core.formats import iso_datetime
from tangerine.core.schema import StrictBooleanField, StrictUUIDField
from tangerine.notifications.cards import card_actors
from tangerine.notifications.models import ALWAYS_ON, Kind, Notification, TargetType
from tangerine.notifications.selectors import UNREAD_COUNT_MAX

MARK_READ_MAX_UUIDS = 100

# One brief-user serializer for every actor of a page: a ModelSerializer builds its fields on
# first use, which cost more than the rest of the page when done per actor (bench/README.md).
_USER_BRIEF = UserBriefSerializer()


class NotificationTargetSerializer(serializers.Serializer[dict[str, Any]]):
    type = serializers.ChoiceField(choices=TargetType.choices)
    uuid = serializers.UUIDField()
    preview = serializers.CharField()
    post = serializers.UUIDField(
        allow_null=True, help_text="The post a comment, reply or like belongs to, if any."
    )


def notification_actors(notification: Notification) -> list[Any]:
    """The actors the list shows, newest first: the ``card_actors`` column of
    ``selectors.notification_list``; for a notification read otherwise, its stored actor."""
    if hasattr(notification, "card_actors"):
        return card_actors(notification.card_actors)
    return [] if notification.actor is None else [notification.actor]


_KIND = {str(value): value for value in Kind.values}


def notification_card(notification: Notification) -> dict[str, Any]:
    """``NotificationSerializer``'s representation, built directly: DRF's walk over its ten
    fields (five method fields, a nested brief per actor) was most of a notification page's
    rendering. ``tests/notifications/test_notification_cards.py`` pins the two as equal."""
    actors = notification_actors(notification)
    stored = getattr(notification, "actor_count", None)
    actor_count = len(actors) if stored is None else int(stored)
    kind = notification.kind
    return {
        "uuid": str(notification.uuid),
        "kind": kind if kind in ("", None) else _KIND.get(str(kind), kind),
        "actor": user_brief(actors[0]) if actors else None,
        "actors": [user_brief(actor) for actor in actors],
        "actor_count": actor_count,
        "others_count": max(actor_count - 1, 0),
        "target": {
            "type": notification.target_type,
            "uuid": str(notification.target_uuid),
            "preview": notification.preview,
            "post": str(notification.post_uuid) if notification.post_uuid else None,
        },
        "read": notification.is_read,
        "created_at": iso_datetime(notification.created_at),
        "latest_at": iso_datetime(notification.latest_at),
    }


UNREAD_COUNT_HELP = (
    f"My unread notifications, counted up to {UNREAD_COUNT_MAX}: {UNREAD_COUNT_MAX} means "
    f'{UNREAD_COUNT_MAX} or more (shown as "99+").'
)


class NotificationSerializer(CardSerializerMixin, serializers.ModelSerializer[Notification]):
    """One notification, or one group of them (likes, follows, saves of one target).

    ``actor`` is the newest actor the recipient may see (null for moderation notices and deleted
    accounts); ``actors`` up to three of the newest (avatars); ``actor_count`` how many people
    in all, ``others_count`` the rest after ``actor`` ("민지님 외 3명").
    """

    kind = serializers.ChoiceField(choices=Kind.choices, read_only=True)
    actor = serializers.SerializerMethodField()
    actors = serializers.SerializerMethodField()
    actor_count = serializers.SerializerMethodField()
    others_count = serializers.SerializerMethodField()
    target = serializers.SerializerMethodField()
    read = serializers.BooleanField(source="is_read", read_only=True)
    latest_at = serializers.DateTimeField(
        read_only=True, help_text="The last activity: creation or the newest actor joining."
    )

    class Meta:
        model = Notification
        fields = [
            "uuid",
            "kind",
            "actor",
            "actors",
            "actor_count",
            "others_count",
            "target",
            "read",
            "created_at",
            "latest_at",
        ]
        read_only_fields = fields

    card = staticmethod(notification_card)

    @extend_schema_field(UserBriefSerializer(allow_null=True))
    def get_actor(self, notification: Notification) -> dict[str, Any] | None:
        actors = notification_actors(notification)
        return _USER_BRIEF.to_representation(actors[0]) if actors else None

    @extend_schema_field(UserBriefSerializer(many=True))
    def get_actors(self, notification: Notification) -> list[dict[str, Any]]:
        return [_USER_BRIEF.to_representation(actor) for actor in notification_actors(notification)]

    @extend_schema_field(serializers.IntegerField(min_value=0))
    def get_actor_count(self, notification: Notification) -> int:
        count = getattr(notification, "actor_count", None)
        return len(notification_actors(notification)) if count is None else int(count)

    @extend_schema_field(serializers.IntegerField(min_value=0))
    def get_others_count(self, notification: Notification) -> int:
        return max(self.get_actor_count(notification) - 1, 0)

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
    unread_count = serializers.IntegerField(
        min_value=0, max_value=UNREAD_COUNT_MAX, help_text=UNREAD_COUNT_HELP
    )


class UnreadCountSerializer(serializers.Serializer[dict[str, Any]]):
    unread_count = serializers.IntegerField(
        min_value=0, max_value=UNREAD_COUNT_MAX, help_text=UNREAD_COUNT_HELP
    )


class MarkReadSerializer(serializers.Serializer[dict[str, Any]]):
    """Exactly one of ``uuids`` (up to 100) or ``"all": true``."""

    uuids = serializers.ListField(
        child=StrictUUIDField(),  # a uuid string: DRF would take 0 or false as a uuid
        required=False,
        allow_empty=False,
        max_length=MARK_READ_MAX_UUIDS,
    )
    all = StrictBooleanField(required=False)  # JSON true or false only, not 0 or "yes"

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


class _PreferencesBase(serializers.Serializer[dict[str, Any]]):
    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        initial = self.initial_data if isinstance(self.initial_data, dict) else {}
        errors: dict[str, list[str]] = {
            str(key): ["Unknown notification kind."] for key in initial if key not in Kind.values
        }
        for kind in ALWAYS_ON:
            if attrs.get(kind) is False:
                errors[kind] = ["Moderation notices cannot be turned off."]
        if not initial and not errors:
            errors["non_field_errors"] = ['Send at least one kind, e.g. {"post_like": false}.']
        if errors:
            raise serializers.ValidationError(errors)
        return attrs


# One boolean field per kind, built from ``Kind`` so a new kind appears here by itself.
NotificationPreferencesSerializer: type[_PreferencesBase] = type(
    "NotificationPreferencesSerializer",
    (_PreferencesBase,),
    {
        "__doc__": (
            "Each kind on (true) or off (false); a PATCH sends only the kinds it changes. An "
            "unknown kind is a 400 naming it; `warning` and `content_hidden` (moderation "
            "notices) cannot be turned off."
        ),
        **{
            # JSON true or false only: DRF's BooleanField would also take 0, "no" or "off".
            kind: StrictBooleanField(required=False, help_text=f"`{kind}` notifications.")
            for kind in Kind.values
        },
    },
)
