"""Thin views for /api/notifications/."""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from tangerine.accounts.auth import request_user
from tangerine.core.pagination import CursorPagination
from tangerine.notifications import selectors, services
from tangerine.notifications.serializers import (
    MarkReadSerializer,
    NotificationPageSerializer,
    NotificationSerializer,
    UnreadCountSerializer,
)


class NotificationPagination(CursorPagination):
    """Newest first over ``(created_at, id)``; the page also carries ``unread_count``."""

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
            OpenApiParameter("page_size", OpenApiTypes.INT, description="1 to 100 (default 20)."),
        ],
        responses={200: NotificationPageSerializer},
        description=(
            "My notifications, newest first (cursor pages, `page_size` up to 100), with my "
            "unread count. Notifications from users I block, who block me, or whom I muted are "
            "left out of both."
        ),
    )
    def get(self, request: Request) -> Response:
        me = request_user(request)
        paginator = NotificationPagination()
        # Queries: the page (actor and profile image joined), then the unread count.
        page = paginator.paginate_queryset(
            selectors.notification_list(recipient=me), request, view=self
        )
        paginator.unread_count = selectors.notification_unread_count(recipient=me)
        return paginator.get_paginated_response(NotificationSerializer(page, many=True).data)


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
