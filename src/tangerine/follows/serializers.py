from __future__ import annotations

from typing import Any

from rest_framework import serializers

from tangerine.accounts.models import HANDLE_MAX_LENGTH


class FollowCreateSerializer(serializers.Serializer[dict[str, Any]]):
    handle = serializers.CharField(max_length=HANDLE_MAX_LENGTH)
