"""Thin views for /api/comments/ and /api/replies/."""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.generics import ListAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from tangerine.accounts.auth import request_user, request_viewer
from tangerine.accounts.selectors import user_get_by_handle
from tangerine.core.cards import CardListMixin, card_data
from tangerine.core.pagination import NewestFirstCursorPagination, OldestFirstCursorPagination
from tangerine.core.schema import NON_BLANK, error_response
from tangerine.posts import selectors, services
from tangerine.posts.models import Comment, Reply
from tangerine.posts.serializers import (
    CommentCreateSerializer,
    CommentSerializer,
    ReplySerializer,
    TextSerializer,
)


def required_param(request: Request, name: str) -> str:
    value = request.query_params.get(name, "").strip()
    if not value:
        raise ValidationError({name: ["This query parameter is required."]})
    return value[:200]


class CommentListCreateView(CardListMixin, ListAPIView[Comment]):
    """GET ``?post=uuid``: the post's comments, oldest first (cursor). POST: comment."""

    serializer_class = CommentSerializer
    pagination_class = OldestFirstCursorPagination

    def get_queryset(self) -> Any:
        post = selectors.post_get_visible(
            viewer=request_viewer(self.request), uuid=required_param(self.request, "post")
        )
        return selectors.comment_page_for_post(viewer=request_viewer(self.request), post=post)

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "post", OpenApiTypes.UUID, required=True, description="post uuid (else 404)"
            )
        ],
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        request=CommentCreateSerializer,
        responses={
            201: CommentSerializer,
            404: error_response("No such post, or not visible to me."),
        },
    )
    def post(self, request: Request) -> Response:
        data = CommentCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        post = selectors.post_get_visible(
            viewer=request_viewer(request), uuid=data.validated_data["post"]
        )
        comment = services.comment_create(
            post=post, author=request_user(request), text=data.validated_data["text"]
        )
        fresh = selectors.comment_get(viewer=request_viewer(request), uuid=comment.uuid)
        return Response(CommentSerializer(fresh).data, status=status.HTTP_201_CREATED)


@extend_schema(
    parameters=[
        OpenApiParameter("handle", NON_BLANK, required=True, description="the user's handle")
    ]
)
class CommentUserListView(CardListMixin, ListAPIView[Comment]):
    """A user's comments, newest first (cursor)."""

    serializer_class = CommentSerializer
    pagination_class = NewestFirstCursorPagination

    def get_queryset(self) -> Any:
        author = user_get_by_handle(
            handle=required_param(self.request, "handle"), viewer=request_viewer(self.request)
        )
        return selectors.comment_list_for_user(viewer=request_viewer(self.request), author=author)


class CommentDetailView(APIView):
    @extend_schema(responses={200: CommentSerializer})
    def get(self, request: Request, uuid: str) -> Response:
        comment = selectors.comment_get(viewer=request_viewer(request), uuid=uuid)
        return Response(card_data(CommentSerializer, comment))

    @extend_schema(request=TextSerializer, responses={200: CommentSerializer})
    def patch(self, request: Request, uuid: str) -> Response:
        comment = selectors.access_comment_for_edit(user=request_user(request), uuid=uuid)
        data = TextSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.comment_update(comment=comment, text=data.validated_data["text"])
        fresh = selectors.comment_get(viewer=request_viewer(request), uuid=comment.uuid)
        return Response(CommentSerializer(fresh).data)

    @extend_schema(responses={204: None})
    def delete(self, request: Request, uuid: str) -> Response:
        comment = selectors.access_comment_for_delete(user=request_user(request), uuid=uuid)
        services.comment_delete(comment=comment)
        return Response(status=status.HTTP_204_NO_CONTENT)


class CommentRepliesView(CardListMixin, ListAPIView[Reply]):
    """GET: the comment's replies, oldest first (cursor). POST: reply."""

    serializer_class = ReplySerializer
    pagination_class = OldestFirstCursorPagination

    def get_queryset(self) -> Any:
        comment = selectors.comment_get(
            viewer=request_viewer(self.request), uuid=self.kwargs["uuid"]
        )
        return selectors.reply_list_for_comment(
            viewer=request_viewer(self.request), comment=comment
        )

    @extend_schema(request=TextSerializer, responses={201: ReplySerializer})
    def post(self, request: Request, uuid: str) -> Response:
        comment = selectors.comment_get(viewer=request_viewer(request), uuid=uuid)
        data = TextSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        reply = services.reply_create(
            comment=comment, author=request_user(request), text=data.validated_data["text"]
        )
        fresh = selectors.reply_get(viewer=request_viewer(request), uuid=reply.uuid)
        return Response(ReplySerializer(fresh).data, status=status.HTTP_201_CREATED)


class ReplyDetailView(APIView):
    @extend_schema(responses={200: ReplySerializer})
    def get(self, request: Request, uuid: str) -> Response:
        return Response(
            ReplySerializer(selectors.reply_get(viewer=request_viewer(request), uuid=uuid)).data
        )

    @extend_schema(request=TextSerializer, responses={200: ReplySerializer})
    def patch(self, request: Request, uuid: str) -> Response:
        reply = selectors.access_reply_for_edit(user=request_user(request), uuid=uuid)
        data = TextSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.reply_update(reply=reply, text=data.validated_data["text"])
        fresh = selectors.reply_get(viewer=request_viewer(request), uuid=reply.uuid)
        return Response(ReplySerializer(fresh).data)

    @extend_schema(responses={204: None})
    def delete(self, request: Request, uuid: str) -> Response:
        reply = selectors.access_reply_for_delete(user=request_user(request), uuid=uuid)
        services.reply_delete(reply=reply)
        return Response(status=status.HTTP_204_NO_CONTENT)
