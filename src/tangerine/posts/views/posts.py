"""Thin views for /api/posts/: parse, call a service or selector, render."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.generics import ListAPIView
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from tangerine.accounts.auth import request_user, request_viewer
from tangerine.accounts.selectors import user_get_by_handle
from tangerine.core import viewers
from tangerine.core.pagination import NewestFirstCursorPagination
from tangerine.posts import selectors, services
from tangerine.posts.models import Post
from tangerine.posts.serializers import PostSerializer, PostWriteSerializer


def _render(request: Request, post: Post, http_status: int = status.HTTP_200_OK) -> Response:
    fresh = selectors.post_get(viewer=request_viewer(request), uuid=post.uuid)
    return Response(PostSerializer(fresh).data, status=http_status)


class PostCreateView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=PostWriteSerializer, responses={201: PostSerializer})
    def post(self, request: Request) -> Response:
        data = PostWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        post = services.post_create(author=request_user(request), **data.validated_data)
        return _render(request, post, status.HTTP_201_CREATED)


class PostDetailView(APIView):
    """Anyone reads; only the author (authenticated) changes: the default permission class."""

    @extend_schema(responses={200: PostSerializer})
    def get(self, request: Request, uuid: str) -> Response:
        viewer = request_viewer(request)
        post = selectors.post_get(viewer=viewer, uuid=uuid)
        viewer_id = viewer.pk if viewer is not None else None
        if viewer_id != post.author_id:
            viewer_key = viewers.viewer_key(request)
            if services.post_view_count(post=post, viewer_key=viewer_key):
                post.view_count += 1
        return Response(PostSerializer(post).data)

    def _update(self, request: Request, uuid: str, *, partial: bool) -> Response:
        post = selectors.access_post_for_edit(user=request_user(request), uuid=uuid)
        data = PostWriteSerializer(data=request.data, partial=partial)
        data.is_valid(raise_exception=True)
        services.post_update(post=post, data=data.validated_data)
        return _render(request, post)

    @extend_schema(request=PostWriteSerializer, responses={200: PostSerializer})
    def put(self, request: Request, uuid: str) -> Response:
        return self._update(request, uuid, partial=False)

    @extend_schema(request=PostWriteSerializer, responses={200: PostSerializer})
    def patch(self, request: Request, uuid: str) -> Response:
        return self._update(request, uuid, partial=True)

    @extend_schema(responses={204: None})
    def delete(self, request: Request, uuid: str) -> Response:
        post = selectors.access_post_for_edit(user=request_user(request), uuid=uuid)
        services.post_delete(post=post)
        return Response(status=status.HTTP_204_NO_CONTENT)


class _PostListView(ListAPIView[Post]):
    serializer_class = PostSerializer
    pagination_class = NewestFirstCursorPagination
    permission_classes = [AllowAny]


@extend_schema_view(get=extend_schema(operation_id="posts_latest"))
class PostLatestView(_PostListView):
    def get_queryset(self) -> Any:
        return selectors.post_list_latest(viewer=request_viewer(self.request))


@extend_schema_view(get=extend_schema(operation_id="posts_latest_for_user"))
class PostLatestForUserView(_PostListView):
    def get_queryset(self) -> Any:
        author = user_get_by_handle(
            handle=self.kwargs["handle"], viewer=request_viewer(self.request)
        )
        return selectors.post_list_for_user(viewer=request_viewer(self.request), author=author)


class PostFeedView(_PostListView):
    permission_classes = [IsAuthenticated]

    def get_queryset(self) -> Any:
        return selectors.post_list_for_feed(viewer=request_user(self.request))
