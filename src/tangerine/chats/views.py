"""Thin views for /api/chats/: parse, call a service or selector, render."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.utils.dateparse import parse_datetime
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.generics import ListAPIView
from rest_framework.pagination import Cursor
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from tangerine.accounts.auth import request_user
from tangerine.chats import selectors, services, tickets
from tangerine.chats.models import Message, Room
from tangerine.chats.serializers import (
    MessageSerializer,
    RoomCreateSerializer,
    RoomInviteSerializer,
    RoomReadResultSerializer,
    RoomReadSerializer,
    RoomSerializer,
    WsTicketSerializer,
)
from tangerine.core.pagination import CursorPagination

_BAD_CURSOR = {"cursor": ["This cursor is not one this list gave out."]}
_BIGINT_MAX = 2**63 - 1


class RoomCursorPagination(CursorPagination):
    ordering = ("-updated_at", "-id")

    def decode_cursor(self, request: Request) -> Cursor | None:
        cursor = super().decode_cursor(request)
        if cursor is not None and cursor.position is not None:
            try:
                valid = parse_datetime(str(cursor.position)) is not None
            except ValueError:
                valid = False
            if not valid:
                raise ValidationError(_BAD_CURSOR)
        return cursor


class _SeqCursorPagination(CursorPagination):
    """A cursor whose position is a message ``seq``: anything but an integer is a 400.

    DRF decodes any base64 cursor and filters ``seq`` by its position as given, so a crafted
    cursor with ``p=abc`` reached PostgreSQL as a bigint comparison and answered 500.
    """

    def decode_cursor(self, request: Request) -> Cursor | None:
        cursor = super().decode_cursor(request)
        if cursor is not None and cursor.position is not None:
            position = str(cursor.position).strip()
            if not (position.isascii() and position.isdigit() and len(position) <= 19):
                raise ValidationError(_BAD_CURSOR)
            if int(position) > _BIGINT_MAX:
                raise ValidationError(_BAD_CURSOR)
        return cursor


class HistoryPagination(_SeqCursorPagination):
    """Newest first by sequence number; ``seq`` is unique within a room."""

    ordering = ("-seq",)  # type: ignore[assignment]  # one unique key needs no tie-breaker


class CatchUpPagination(_SeqCursorPagination):
    """Oldest first after ``?after_seq=``: replays what a reconnecting client missed."""

    ordering = ("seq",)  # type: ignore[assignment]


def _room_for(request: Request, room_uuid: object) -> Room:
    return selectors.access_room_for_member(user=request.user, room_uuid=room_uuid)  # type: ignore[arg-type]


class RoomListCreateView(ListAPIView[Room]):
    permission_classes = [IsAuthenticated]
    serializer_class = RoomSerializer
    pagination_class = RoomCursorPagination

    def get_queryset(self) -> Any:
        return selectors.room_qs_for_member(user=self.request.user)  # type: ignore[arg-type]

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "viewer": self.request.user}

    @extend_schema(summary="My rooms, newest activity first")
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        summary="Create a room with members",
        request=RoomCreateSerializer,
        responses={201: RoomSerializer},
    )
    def post(self, request: Request) -> Response:
        data = RoomCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        room = services.room_create(
            creator=request.user,  # type: ignore[arg-type]
            handles=data.validated_data["members"],
            name=data.validated_data["name"],
        )
        room = _room_for(request, room.uuid)
        body = RoomSerializer(room, context={"viewer": request.user}).data
        return Response(body, status=status.HTTP_201_CREATED)


class RoomDetailView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(summary="A room (members only)", responses={200: RoomSerializer})
    def get(self, request: Request, uuid: str) -> Response:
        room = _room_for(request, uuid)
        return Response(RoomSerializer(room, context={"viewer": request.user}).data)


class RoomMembersView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="Invite users to a room",
        request=RoomInviteSerializer,
        responses={200: RoomSerializer},
    )
    def post(self, request: Request, uuid: str) -> Response:
        # A non-member learns nothing, not even whether the body was valid: 404 first.
        _room_for(request, uuid)
        data = RoomInviteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.room_invite(
            inviter=request.user,  # type: ignore[arg-type]
            room_uuid=uuid,
            handles=data.validated_data["members"],
        )
        room = _room_for(request, uuid)
        return Response(RoomSerializer(room, context={"viewer": request.user}).data)


class RoomLeaveView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(summary="Leave a room", request=None, responses={204: None})
    def post(self, request: Request, uuid: str) -> Response:
        services.room_leave(user=request.user, room_uuid=uuid)  # type: ignore[arg-type]
        return Response(status=status.HTTP_204_NO_CONTENT)


class RoomReadView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="Mark a room read up to a sequence number (default: everything)",
        request=RoomReadSerializer,
        responses={200: RoomReadResultSerializer},
    )
    def post(self, request: Request, uuid: str) -> Response:
        data = RoomReadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        mark = services.membership_mark_read(
            user=request.user,  # type: ignore[arg-type]
            room_uuid=uuid,
            seq=data.validated_data.get("seq"),
        )
        return Response({"room": str(selectors.parse_uuid(uuid)), "last_read_seq": mark})


class RoomMessagesView(ListAPIView[Message]):
    permission_classes = [IsAuthenticated]
    serializer_class = MessageSerializer

    def _after_seq(self) -> int | None:
        raw = self.request.query_params.get("after_seq")
        if raw is None:
            return None
        try:
            value = int(raw)
        except ValueError as exc:
            raise ValidationError({"after_seq": ["A non-negative integer."]}) from exc
        if value < 0:
            raise ValidationError({"after_seq": ["A non-negative integer."]})
        return value

    @property
    def paginator(self) -> Any:
        if not hasattr(self, "_chat_paginator"):
            after = self._after_seq()
            self._chat_paginator = HistoryPagination() if after is None else CatchUpPagination()
        return self._chat_paginator

    def get_queryset(self) -> Any:
        self.room = _room_for(self.request, self.kwargs["uuid"])
        return selectors.message_qs_for_room(
            room=self.room, reader=request_user(self.request), after_seq=self._after_seq()
        )

    def get_serializer_context(self) -> dict[str, Any]:
        # The members' read marks, loaded with the room: every message's unread_count without
        # a query per message.
        room = getattr(self, "room", None)
        marks = selectors.read_marks_of(room) if room is not None else []
        return {
            **super().get_serializer_context(),
            "viewer": self.request.user,
            "read_marks": marks,
        }

    @extend_schema(
        summary="History, newest first (or oldest first after after_seq)",
        parameters=[
            OpenApiParameter(
                "after_seq",
                int,
                description="Only messages after this sequence number, oldest first "
                "(catch up after a reconnect).",
            )
        ],
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class WsTicketView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="A one-time ticket for opening /ws/chat/",
        request=None,
        responses={200: WsTicketSerializer},
    )
    def post(self, request: Request) -> Response:
        if not request.user.is_authenticated:  # pragma: no cover - the permission refuses first
            raise Http404
        ticket, ttl = tickets.ws_ticket_issue(user=request.user)
        return Response({"ticket": ticket, "expires_in": ttl})


_ERROR_EXAMPLES = {
    "not_found": OpenApiExample(
        "Not found", value={"code": "not_found", "detail": "Not found."}, response_only=True
    ),
}


class MessageDetailView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="Delete my message for everyone (within 10 minutes)",
        description=(
            "The row stays for moderation; members see a placeholder (`deleted: true`) and the "
            "room's sockets get a `message.deleted` frame. Deleting twice is harmless."
        ),
        request=None,
        responses={
            204: None,
            403: OpenApiResponse(
                description="Someone else's message",
                examples=[
                    OpenApiExample(
                        "Not yours",
                        value={
                            "code": "not_your_message",
                            "detail": "You can delete only your own messages.",
                        },
                    )
                ],
            ),
            404: OpenApiResponse(
                description="Not a member, unknown room or message",
                examples=[_ERROR_EXAMPLES["not_found"]],
            ),
            409: OpenApiResponse(
                description="More than 10 minutes after sending",
                examples=[
                    OpenApiExample(
                        "Too late",
                        value={
                            "code": "delete_window_passed",
                            "detail": "A message can be deleted for everyone only within "
                            "10 minutes of sending it.",
                        },
                    )
                ],
            ),
        },
    )
    def delete(self, request: Request, uuid: str, message: str) -> Response:
        services.message_delete(
            user=request.user,  # type: ignore[arg-type]
            room_uuid=uuid,
            message_uuid=message,
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


_ROOM_EXAMPLE = {
    "uuid": "6f1c2a9e-4b7d-4d1e-9a53-0c2f8e7b1a10",
    "name": "",
    "product": {
        "uuid": "0b8e5f7a-2c1d-4e3f-8a9b-1c2d3e4f5a6b",
        "name": "제주 감귤 5kg",
        "price": 12900,
        "currency": "KRW",
        "status": "on_sale",
        "image": None,
    },
    "members": [
        {
            "handle": "minji",
            "display_name": "민지",
            "profile_image": None,
            "joined_at": "2026-12-06T09:00:00Z",
            "last_read_seq": 0,
        },
        {
            "handle": "tangerine_farm",
            "display_name": "귤 농장",
            "profile_image": None,
            "joined_at": "2026-12-06T09:00:00Z",
            "last_read_seq": 0,
        },
    ],
    "last_message": None,
    "unread_count": 0,
    "last_seq": 0,
    "last_read_seq": 0,
    "created_at": "2026-12-06T09:00:00Z",
    "updated_at": "2026-12-06T09:00:00Z",
}


class ProductChatView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="Chat with the seller: open or reuse my room about this product",
        description=(
            "One open room per buyer and product, between the buyer and the product's owner. "
            "201 with a new room, 200 with the existing one (a party who had left is added "
            "back). 400 on one's own product; 404 for a product the viewer cannot see "
            "(hidden, unknown, or a block in either direction)."
        ),
        tags=["chats"],
        request=None,
        responses={
            200: OpenApiResponse(RoomSerializer, description="The existing room"),
            201: OpenApiResponse(
                RoomSerializer,
                description="A new room",
                examples=[OpenApiExample("New room", value=_ROOM_EXAMPLE)],
            ),
            400: OpenApiResponse(
                description="My own product",
                examples=[
                    OpenApiExample(
                        "Own product",
                        value={
                            "code": "invalid",
                            "detail": "Invalid input.",
                            "fields": {"product": ["You cannot chat about your own product."]},
                        },
                    )
                ],
            ),
            404: OpenApiResponse(
                description="Unknown, hidden or blocked", examples=[_ERROR_EXAMPLES["not_found"]]
            ),
        },
    )
    def post(self, request: Request, uuid: str) -> Response:
        result = services.product_room_open(
            buyer=request.user,  # type: ignore[arg-type]
            product_uuid=uuid,
        )
        room = _room_for(request, result.room.uuid)
        body = RoomSerializer(room, context={"viewer": request.user}).data
        return Response(
            body, status=status.HTTP_201_CREATED if result.created else status.HTTP_200_OK
        )
