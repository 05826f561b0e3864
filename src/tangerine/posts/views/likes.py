"""Thin views for /api/likes/: like, unlike, like state, who liked, what a user liked."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    PolymorphicProxySerializer,
    extend_schema,
    inline_serializer,
)
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from tangerine.accounts.auth import request_user, request_viewer
from tangerine.accounts.selectors import user_get_by_handle
from tangerine.accounts.serializers import UserSerializer
from tangerine.core.pagination import NewestFirstCursorPagination
from tangerine.core.schema import error_response
from tangerine.posts import selectors, services
from tangerine.posts.serializers import (
    CommentLikeCreateSerializer,
    CommentSerializer,
    LikeStateSerializer,
    PostLikeCreateSerializer,
    PostSerializer,
    ReplyLikeCreateSerializer,
    ReplySerializer,
)


def _state_body(state: services.LikeState) -> dict[str, Any]:
    return {"like_count": state.like_count, "liked": state.liked}


class _LikeKindMixin:
    """What differs between post, comment and reply likes."""

    kind: services.LikeKind
    field: str  # body and query parameter naming the target
    create_serializer: type[serializers.Serializer[Any]]
    item_serializer: type[serializers.Serializer[Any]]
    get_target: Callable[..., Any]
    liked_of: Callable[..., Any]

    def target(self, request: Request, uuid: Any) -> Any:
        return self.get_target(viewer=request_viewer(request), uuid=uuid)


class _LikeListCreateView(_LikeKindMixin, APIView):
    """POST: like. GET ``?<target>=uuid``: who liked it (users, newest like first);
    GET ``?handle=``: what that user liked (newest like first). Both cursor-paginated."""

    def get_permissions(self) -> list[Any]:
        if self.request.method == "POST":
            return [IsAuthenticated()]
        return [AllowAny()]  # public: the schema says a token is optional

    def post(self, request: Request) -> Response:
        data = self.create_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        target = self.target(request, data.validated_data[self.field])
        state = services.like_create(kind=self.kind, user=request_user(request), target=target)
        return Response(_state_body(state))

    def get(self, request: Request) -> Response:
        paginator = NewestFirstCursorPagination()
        target_uuid = request.query_params.get(self.field, "").strip()
        handle = request.query_params.get("handle", "").strip()
        if bool(target_uuid) == bool(handle):
            raise ValidationError(
                {"non_field_errors": [f"Send exactly one of ?{self.field}= or ?handle=."]}
            )
        if target_uuid:
            target = self.target(request, target_uuid)
            likes = selectors.likers_of(
                viewer=request_viewer(request),
                like_model=self.kind.like_model,
                field=self.kind.field,
                target=target,
            )
            page = paginator.paginate_queryset(likes, request, view=self) or []
            users = []
            for like in page:
                like.user.is_following = like.user_is_following
                users.append(like.user)
            return paginator.get_paginated_response(UserSerializer(users, many=True).data)
        user = user_get_by_handle(handle=handle[:100], viewer=request_viewer(request))
        likes = self.liked_of(viewer=request_viewer(request), user=user)
        page = paginator.paginate_queryset(likes, request, view=self) or []
        items = []
        for like in page:
            item = getattr(like, self.kind.field)
            item.liked = like.target_liked
            items.append(item)
        return paginator.get_paginated_response(self.item_serializer(items, many=True).data)


class _LikeDetailView(_LikeKindMixin, APIView):
    """GET: the target's like count and whether I like it. DELETE: unlike (idempotent)."""

    def get_permissions(self) -> list[Any]:
        if self.request.method == "DELETE":
            return [IsAuthenticated()]
        return [AllowAny()]  # public: the schema says a token is optional

    def get(self, request: Request, uuid: str) -> Response:
        target = self.target(request, uuid)
        state = services.like_state(kind=self.kind, user=request_viewer(request), target=target)
        return Response(_state_body(state))

    def delete(self, request: Request, uuid: str) -> Response:
        target = self.target(request, uuid)
        state = services.like_delete(kind=self.kind, user=request_user(request), target=target)
        return Response(_state_body(state))


def _list_schema(field: str, item: type[serializers.Serializer[Any]]) -> Any:
    return extend_schema(
        operation_id=f"likes_{field}_likes_list",
        parameters=[
            OpenApiParameter(field, OpenApiTypes.UUID, description=f"{field} uuid: who liked it"),
            OpenApiParameter("handle", str, description=f"a user: the {field}s they liked"),
            OpenApiParameter("cursor", str, description="`next` of the previous page."),
        ],
        responses={
            # One page shape; its items are users (?<target>=) or the user's liked items
            # (?handle=). Not oneOf of two pages: an empty page would match both.
            200: inline_serializer(
                name=f"{field.capitalize()}LikeListPage",
                fields={
                    "next": serializers.URLField(allow_null=True),
                    "previous": serializers.URLField(allow_null=True),
                    "results": PolymorphicProxySerializer(
                        component_name=f"{field.capitalize()}LikeListItem",
                        serializers=[UserSerializer, item],
                        resource_type_field_name=None,
                        many=True,
                    ),
                },
            ),
            404: error_response(f"No such {field} (or not visible to me), or no such user."),
        },
    )


def _create_schema(create: type[serializers.Serializer[Any]]) -> Any:
    return extend_schema(
        request=create,
        responses={
            200: LikeStateSerializer,
            404: error_response("No such post, comment or reply, or not visible to me."),
        },
    )


_detail_schema = extend_schema(responses={200: LikeStateSerializer})


def _state_schema(field: str) -> Any:
    return extend_schema(
        operation_id=f"likes_{field}_likes_state", responses={200: LikeStateSerializer}
    )


class PostLikeListCreateView(_LikeListCreateView):
    kind = services.POST
    field = "post"
    create_serializer = PostLikeCreateSerializer
    item_serializer = PostSerializer
    get_target = staticmethod(selectors.post_get_visible)
    liked_of = staticmethod(selectors.liked_posts_of)

    @_create_schema(PostLikeCreateSerializer)
    def post(self, request: Request) -> Response:
        return super().post(request)

    @_list_schema("post", PostSerializer)
    def get(self, request: Request) -> Response:
        return super().get(request)


class CommentLikeListCreateView(_LikeListCreateView):
    kind = services.COMMENT
    field = "comment"
    create_serializer = CommentLikeCreateSerializer
    item_serializer = CommentSerializer
    get_target = staticmethod(selectors.comment_get)
    liked_of = staticmethod(selectors.liked_comments_of)

    @_create_schema(CommentLikeCreateSerializer)
    def post(self, request: Request) -> Response:
        return super().post(request)

    @_list_schema("comment", CommentSerializer)
    def get(self, request: Request) -> Response:
        return super().get(request)


class ReplyLikeListCreateView(_LikeListCreateView):
    kind = services.REPLY
    field = "reply"
    create_serializer = ReplyLikeCreateSerializer
    item_serializer = ReplySerializer
    get_target = staticmethod(selectors.reply_get)
    liked_of = staticmethod(selectors.liked_replies_of)

    @_create_schema(ReplyLikeCreateSerializer)
    def post(self, request: Request) -> Response:
        return super().post(request)

    @_list_schema("reply", ReplySerializer)
    def get(self, request: Request) -> Response:
        return super().get(request)


class PostLikeDetailView(_LikeDetailView):
    kind = services.POST
    get_target = staticmethod(selectors.post_get_visible)

    @_state_schema("post")
    def get(self, request: Request, uuid: str) -> Response:
        return super().get(request, uuid)

    @_detail_schema
    def delete(self, request: Request, uuid: str) -> Response:
        return super().delete(request, uuid)


class CommentLikeDetailView(_LikeDetailView):
    kind = services.COMMENT
    get_target = staticmethod(selectors.comment_get)

    @_state_schema("comment")
    def get(self, request: Request, uuid: str) -> Response:
        return super().get(request, uuid)

    @_detail_schema
    def delete(self, request: Request, uuid: str) -> Response:
        return super().delete(request, uuid)


class ReplyLikeDetailView(_LikeDetailView):
    kind = services.REPLY
    get_target = staticmethod(selectors.reply_get)

    @_state_schema("reply")
    def get(self, request: Request, uuid: str) -> Response:
        return super().get(request, uuid)

    @_detail_schema
    def delete(self, request: Request, uuid: str) -> Response:
        return super().delete(request, uuid)
