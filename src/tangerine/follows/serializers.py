from __future__ import annotations

from typing import Any

from rest_framework import serializers

from tangerine.accounts.models import HANDLE_MAX_LENGTH
from tangerine.accounts.serializers import UserSerializer
from tangerine.follows.selectors import FRIENDS_OF_FRIENDS, POPULAR


class FollowCreateSerializer(serializers.Serializer[dict[str, Any]]):
    handle = serializers.CharField(max_length=HANDLE_MAX_LENGTH)


class SuggestionSerializer(UserSerializer):
    """A person to follow, with why they are suggested."""

    # A plain string, not an enum: another "reason" enum would rename the reports' ReasonEnum.
    reason = serializers.CharField(
        read_only=True,
        help_text=(
            f"{FRIENDS_OF_FRIENDS}, sells_what_you_looked_at (sells in a category of products "
            f"I opened lately), or {POPULAR} (many followers)"
        ),
    )
    mutual_count = serializers.IntegerField(
        read_only=True, help_text="how many of the people I follow follow them"
    )

    class Meta(UserSerializer.Meta):
        fields = [*UserSerializer.Meta.fields, "reason", "mutual_count"]
        read_only_fields = fields
