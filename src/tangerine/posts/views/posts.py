"""Thin views for /api/posts/: parse, call a service or selector, render."""

from __future__ import annotations

from typing import Any, cast

from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    extend_schema,
    extend_schema_view,
)
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.generics import ListAPIView
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from tangerine.accounts.auth import request_user, request_viewer
from tangerine.accounts.selectors import user_get_by_handle
from tangerine.core import viewers
from tangerine.core.cards import CardListMixin, card_data
from tangerine.core.pagination import NewestFirstCursorPagination, WindowedCursorPagination
from tangerine.core.schema import SPACE
from tangerine.posts import selectors, services
from tangerine.posts.models import Post
from tangerine.posts.serializers import PostSerializer, PostWriteSerializer, TrendingTagSerializer
from tangerine.posts.views.comments import required_param


def _render(request: Request, post: Post, http_status: int = status.HTTP_200_OK) -> Response:
    fresh = selectors.post_get(viewer=request_viewer(request), uuid=post.uuid)
    return Response(PostSerializer(fresh).data, status=http_status)


_POST_EXAMPLE = {
    "uuid": "b5d0c8de-3f1a-4c55-8d7e-2f5c9a1e0b11",
    "author": {"handle": "alice", "display_name": "Alice", "profile_image": None},
    "title": "제주 감귤 첫 수확",
    "text": "@minji 님 덕분에 첫 감귤 🍊 first harvest",
    "mentions": [{"handle": "minji", "display_name": "민지"}],
    "tags": ["감귤", "jeju", "freshfruit"],
    "category": "food",
    "status": "published",
    "images": [],
    "view_count": 3,
    "like_count": 1,
    "comment_count": 0,
    "liked": False,
    "created_at": "2026-11-26T09:00:00Z",
    "updated_at": "2026-11-26T09:00:00Z",
}


class PostCreateView(CardListMixin, ListAPIView[Post]):
    """GET ``?tag=``: a tag's posts (anyone, cursor). POST: write a post (signed in)."""

    serializer_class = PostSerializer
    pagination_class = NewestFirstCursorPagination

    def get_queryset(self) -> Any:
        tag = selectors.tag_normalise_query(required_param(self.request, "tag"))
        if not tag:
            raise ValidationError({"tag": ["Give a tag, such as 감귤 or #jeju."]})
        return selectors.post_list_for_tag(viewer=request_viewer(self.request), tag=tag)

    @extend_schema(
        operation_id="posts_by_tag",
        parameters=[
            OpenApiParameter(
                "tag",
                # Something besides spaces and #s (a blank tag is 400).
                {"type": "string", "minLength": 1, "pattern": f"[^{SPACE}#]"},
                required=True,
                description="A tag, with or without #, any case (`감귤`, `#Jeju`).",
            )
        ],
        description=(
            "Published posts with this tag, newest first (cursor pages). An unknown tag is an "
            "empty page; a missing or blank `tag` is 400 on `tag`."
        ),
        examples=[
            OpenApiExample(
                "A tag's posts",
                value={"next": None, "previous": None, "results": [_POST_EXAMPLE]},
                response_only=True,
                status_codes=["200"],
            )
        ],
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        request=PostWriteSerializer,
        responses={201: PostSerializer},
        examples=[
            OpenApiExample(
                "A post with a mention and tags",
                value={
                    "title": "제주 감귤 첫 수확",
                    "text": "@minji 님 덕분에 첫 감귤 🍊 first harvest",
                    "tags": ["#감귤", "Jeju", "Fresh Fruit"],
                    "category": "food",
                    "status": "published",
                    "images": [],
                },
                request_only=True,
            ),
            OpenApiExample(
                "Created", value=_POST_EXAMPLE, response_only=True, status_codes=["201"]
            ),
        ],
    )
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
        return Response(card_data(PostSerializer, post))

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


class _PostListView(CardListMixin, ListAPIView[Post]):
    serializer_class = PostSerializer
    pagination_class = NewestFirstCursorPagination
    permission_classes = [AllowAny]


@extend_schema_view(get=extend_schema(operation_id="posts_latest"))
class PostLatestView(_PostListView):
    def get_queryset(self) -> Any:
        return selectors.post_page_latest(viewer=request_viewer(self.request))


@extend_schema_view(get=extend_schema(operation_id="posts_latest_for_user"))
class PostLatestForUserView(_PostListView):
    def get_queryset(self) -> Any:
        author = user_get_by_handle(
            handle=self.kwargs["handle"], viewer=request_viewer(self.request)
        )
        return selectors.post_list_for_user(viewer=request_viewer(self.request), author=author)


class TrendingTagsView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="tags_trending",
        responses={200: TrendingTagSerializer(many=True)},
        description=(
            "The tags on the most published posts of the last 24 hours, most first, at most "
            "10. Hidden posts and posts of suspended authors never count. The answer is "
            "cached for 60 seconds."
        ),
        examples=[
            OpenApiExample(
                "Trending",
                value=[{"name": "감귤", "post_count": 12}, {"name": "jeju", "post_count": 5}],
                response_only=True,
            )
        ],
    )
    def get(self, request: Request) -> Response:
        tags = [TrendingTagSerializer(row).data for row in selectors.tags_trending()]
        return Response(tags)


class PostFeedView(_PostListView):
    permission_classes = [IsAuthenticated]
    pagination_class = WindowedCursorPagination

    def get_queryset(self) -> Any:
        # The page's window goes to the selector, which reads a few followees' posts author by
        # author inside it (the cursor's bound and limit are needed inside that subquery).
        window = cast(WindowedCursorPagination, self.paginator).window(self.request)
        return selectors.post_page_for_feed(viewer=request_user(self.request), window=window)
