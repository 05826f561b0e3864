"""Thin views for /api/follows/."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from tangerine.accounts.auth import Viewer, request_user, request_viewer
from tangerine.accounts.selectors import user_get_by_handle
from tangerine.accounts.serializers import UserSerializer
from tangerine.core.pagination import NewestFirstCursorPagination, cursor_page_of
from tangerine.core.schema import error_response
from tangerine.follows import selectors, services
from tangerine.follows.serializers import FollowCreateSerializer, SuggestionSerializer


class FollowCreateView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=FollowCreateSerializer,
        responses={
            201: UserSerializer,
            200: UserSerializer,
            404: error_response("No such user, or not visible to me."),
        },
        description="Follow a user: 201 when a new follow was made, 200 if already following.",
    )
    def post(self, request: Request) -> Response:
        data = FollowCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        handle = data.validated_data["handle"]
        me = request_user(request)
        followee = user_get_by_handle(handle=handle, viewer=me)
        created = services.follow_create(follower=me, followee=followee)
        fresh = user_get_by_handle(handle=handle, viewer=me)
        return Response(
            UserSerializer(fresh).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


class _PeopleView(APIView):
    """A cursor page of users (newest follow first) with ``is_following`` for the viewer."""

    permission_classes = [AllowAny]
    side = "followee"

    def rows(self, viewer: Viewer, user: Any) -> Any:
        raise NotImplementedError

    @extend_schema(responses={200: cursor_page_of(UserSerializer)})
    def get(self, request: Request, handle: str) -> Response:
        viewer = request_viewer(request)
        user = user_get_by_handle(handle=handle, viewer=viewer)
        paginator = NewestFirstCursorPagination()
        page: list[Any] | None = paginator.paginate_queryset(
            self.rows(viewer, user), request, view=self
        )
        people = []
        for follow in page or []:
            person = getattr(follow, self.side)
            person.is_following = follow.person_is_following
            people.append(person)
        return paginator.get_paginated_response(UserSerializer(people, many=True).data)


class FollowingView(_PeopleView):
    side = "followee"

    def rows(self, viewer: Viewer, user: Any) -> Any:
        return selectors.following_of(viewer=viewer, user=user)


class FollowersView(_PeopleView):
    side = "follower"

    def rows(self, viewer: Viewer, user: Any) -> Any:
        return selectors.followers_of(viewer=viewer, user=user)


class UnfollowView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses={204: None})
    def delete(self, request: Request, handle: str) -> Response:
        other = selectors.user_get_any(handle=handle)
        services.follow_delete(follower=request_user(request), followee=other)
        return Response(status=status.HTTP_204_NO_CONTENT)


class RemoveFollowerView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses={204: None})
    def delete(self, request: Request, handle: str) -> Response:
        other = selectors.user_get_any(handle=handle)
        services.follow_delete(follower=other, followee=request_user(request))
        return Response(status=status.HTTP_204_NO_CONTENT)


class SuggestionsView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="accounts_suggestions",
        responses={200: SuggestionSerializer(many=True)},
        description=(
            "At most 20 people to follow, best first: people followed by the people I follow "
            "(the more the better), then popular accounts. Never me, people I follow, blocked "
            "(either way), muted, suspended or deactivated accounts. Shown on an empty feed "
            "and after sign-up."
        ),
        examples=[
            OpenApiExample(
                "Suggestions",
                value=[
                    {
                        "uuid": "0b6f3c1e-6a55-4c1e-9a43-6f1f0e1d2c3b",
                        "handle": "minji",
                        "display_name": "민지",
                        "bio": "제주 감귤 농부",
                        "link_1": "",
                        "link_2": "",
                        "profile_image": None,
                        "follower_count": 12,
                        "following_count": 3,
                        "is_following": False,
                        "is_blocked": False,
                        "is_muted": False,
                        "is_staff": False,
                        "created_at": "2026-11-26T09:00:00Z",
                        "reason": "followed_by_people_you_follow",
                        "mutual_count": 2,
                    }
                ],
                response_only=True,
            )
        ],
    )
    def get(self, request: Request) -> Response:
        people = selectors.user_suggestions(viewer=request_user(request))
        return Response(SuggestionSerializer(people, many=True).data)
