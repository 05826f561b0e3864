"""Thin views for /api/notifications/."""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from tangerine.accounts.auth import request_user
from tangerine.core.cards import card_list
from tangerine.core.pagination import PAGE_SIZE_PARAMETER, CursorPagination
from tangerine.core.schema import body_rules
from tangerine.notifications import selectors, services
from tangerine.notifications.models import ALWAYS_ON
from tangerine.notifications.serializers import (
    MarkReadSerializer,
    NotificationPageSerializer,
    NotificationPreferencesSerializer,
    NotificationSerializer,
    UnreadCountSerializer,
)


class NotificationPagination(CursorPagination):
    """Latest activity first over ``(latest_at, id)`` (a group that gains an actor moves to the
    top); the page also carries ``unread_count``."""

    ordering = ("-latest_at", "-id")
    unread_count = 0

    def get_paginated_response(self, data: Any) -> Response:
        response = super().get_paginated_response(data)
        response.data["unread_count"] = self.unread_count
        return response


class NotificationListView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="notifications_list",
        parameters=[
            OpenApiParameter("cursor", OpenApiTypes.STR, description="From `next`/`previous`."),
            PAGE_SIZE_PARAMETER,
        ],
        responses={200: NotificationPageSerializer},
        description=(
            "My notifications, latest activity first (cursor pages, `page_size` up to 100), "
            "with my unread count. Likes, follows and saves of one target are one item while "
            "unread (a group): `actor` is the newest, `actors` up to three, `actor_count` all "
            "of them, and a new actor moves the group to the top. People I block, who block me, "
            "or whom I muted are left out of the items, the groups' actors and the counts."
        ),
        examples=[
            OpenApiExample(
                "A group of likes",
                response_only=True,
                value={
                    "next": None,
                    "previous": None,
                    "unread_count": 1,
                    "results": [
                        {
                            "uuid": "5b0e8f8e-8d7c-4c52-9d0e-3f1f1f0a9a11",
                            "kind": "post_like",
                            "actor": {
                                "handle": "minji",
                                "display_name": "민지",
                                "profile_image": None,
                            },
                            "actors": [
                                {"handle": "minji", "display_name": "민지", "profile_image": None},
                                {"handle": "bob", "display_name": "Bob", "profile_image": None},
                            ],
                            "actor_count": 4,
                            "others_count": 3,
                            "target": {
                                "type": "post",
                                "uuid": "0c8a6f5e-2b7d-4d0a-8f0e-6d2b9e1c4a77",
                                "preview": "제주 감귤 첫 수확",
                                "post": "0c8a6f5e-2b7d-4d0a-8f0e-6d2b9e1c4a77",
                            },
                            "read": False,
                            "created_at": "2025-01-01T09:00:00Z",
                            "latest_at": "2025-01-01T09:12:00Z",
                        }
                    ],
                },
            )
        ],
    )
    def get(self, request: Request) -> Response:
        me = request_user(request)
        paginator = NotificationPagination()
        # Queries: the page (with each group's actor count), its newest actors with profile
        # images, then the unread count. The page is a ``CompiledPage``: what the paginator
        # asks of a queryset, from a query compiled once per kind of recipient.
        rows: Any = selectors.notification_page(recipient=me)
        page: list[Any] | None = paginator.paginate_queryset(rows, request, view=self)
        paginator.unread_count = selectors.notification_unread_count(recipient=me)
        return paginator.get_paginated_response(card_list(NotificationSerializer, page))


class UnreadCountView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="notifications_unread_count",
        responses={200: UnreadCountSerializer},
        description="My unread count (the same rules as the list).",
    )
    def get(self, request: Request) -> Response:
        me = request_user(request)
        return Response({"unread_count": selectors.notification_unread_count(recipient=me)})


class MarkReadView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="notifications_mark_read",
        request=MarkReadSerializer,
        responses={200: UnreadCountSerializer},
        # Exactly one of them ("all" must then be true; "all": false beside uuids is ignored).
        extensions=body_rules(
            properties={"uuids": {"minItems": 1}},
            oneOf=[
                {"required": ["uuids"], "properties": {"all": {"enum": [False]}}},
                {
                    "required": ["all"],
                    "properties": {"all": {"enum": [True]}},
                    "not": {"required": ["uuids"]},
                },
            ],
        ),
        description=(
            'Mark notifications read: `{"uuids": [...]}` (1 to 100) or `{"all": true}`. Only my '
            "own notifications change; uuids that are not mine, or do not exist, are ignored "
            "silently. Answers my unread count afterwards."
        ),
    )
    def post(self, request: Request) -> Response:
        me = request_user(request)
        data = MarkReadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.notifications_mark_read(
            recipient=me,
            uuids=data.validated_data.get("uuids"),
            mark_all=data.validated_data.get("all") is True,
        )
        return Response({"unread_count": selectors.notification_unread_count(recipient=me)})


_PREFERENCES_EXAMPLE = {
    "follow": True,
    "post_like": False,
    "comment": True,
    "reply": True,
    "comment_like": True,
    "reply_like": True,
    "report_resolved": True,
    "warning": True,
    "mention": True,
    "product_saved": True,
    "content_hidden": True,
    "appeal_resolved": True,
    "store_link": True,
}


class PreferencesView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="notifications_preferences",
        responses={200: NotificationPreferencesSerializer},
        description="Which kinds of notification I get: every kind, true (on, the default) or "
        "false (off).",
        examples=[OpenApiExample("Likes of posts off", value=_PREFERENCES_EXAMPLE)],
    )
    def get(self, request: Request) -> Response:
        return Response(selectors.notification_preferences(user=request_user(request)))

    @extend_schema(
        operation_id="notifications_preferences_update",
        request=NotificationPreferencesSerializer,
        responses={200: NotificationPreferencesSerializer},
        # At least one kind, only kinds, and the moderation notices only as true.
        extensions=body_rules(
            minProperties=1,
            additionalProperties=False,
            properties={str(kind): {"enum": [True]} for kind in sorted(ALWAYS_ON)},
        ),
        description=(
            "Turn kinds on or off: send only the kinds that change, e.g. "
            '`{"post_like": false}`. Answers every kind afterwards. An unknown kind, a value '
            "that is not a boolean, or an empty body is a 400 with field messages; "
            "`warning` and `content_hidden` (moderation notices) cannot be turned off. Turning "
            "a kind off stops new notifications of that kind; those already made stay."
        ),
        examples=[
            OpenApiExample(
                "Turn likes of posts off", request_only=True, value={"post_like": False}
            ),
            OpenApiExample("Every kind afterwards", response_only=True, value=_PREFERENCES_EXAMPLE),
        ],
    )
    def patch(self, request: Request) -> Response:
        data = NotificationPreferencesSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return Response(
            services.notification_preferences_update(
                user=request_user(request), changes=dict(data.validated_data)
            )
        )
