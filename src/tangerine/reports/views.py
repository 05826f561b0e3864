"""Thin HTTP views for reports: parse, call a service or selector, render."""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import generics, permissions, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from tangerine.accounts.auth import request_user
from tangerine.core.errors import error_schema
from tangerine.core.pagination import PageNumberPagination
from tangerine.core.schema import error_response
from tangerine.reports import selectors, services
from tangerine.reports.models import Report
from tangerine.reports.serializers import (
    AppealCreateSerializer,
    AppealDecisionSerializer,
    AppealListQuerySerializer,
    AppealSerializer,
    HiddenContentQuerySerializer,
    HiddenContentSerializer,
    MyReportSerializer,
    ReportCreateSerializer,
    ReportSerializer,
    ReportUpdateSerializer,
    StaffAppealSerializer,
    StaffListQuerySerializer,
    StaffReportDetailSerializer,
    StaffReportSerializer,
    StatsQuerySerializer,
    StatsSerializer,
    WarningSerializer,
)
from tangerine.reports.stats import report_stats


class IsStaff(permissions.BasePermission):
    """Staff only: anonymous callers get 401, other users 403."""

    def has_permission(self, request: Request, view: Any) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and user.is_staff)


_DATE_PARAMS = [
    OpenApiParameter("from", OpenApiTypes.DATE, description="First day (inclusive)."),
    OpenApiParameter("to", OpenApiTypes.DATE, description="Last day (inclusive)."),
]


class ReportListCreateView(generics.GenericAPIView):
    """POST: any signed-in user files a report. GET: the staff queue."""

    pagination_class = PageNumberPagination
    serializer_class = StaffReportSerializer

    def get_permissions(self) -> list[permissions.BasePermission]:
        if self.request.method == "POST":
            return [permissions.IsAuthenticated()]
        return [IsStaff()]

    @extend_schema(
        parameters=[
            StaffListQuerySerializer(partial=True),
            *_DATE_PARAMS,
        ],
        responses=StaffReportSerializer(many=True),
        summary="The staff queue, filtered (staff only)",
    )
    def get(self, request: Request) -> Response:
        query = StaffListQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        qs = selectors.report_list_for_staff(filters=query.validated_data)
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(StaffReportSerializer(page, many=True).data)

    @extend_schema(
        request=ReportCreateSerializer,
        responses={
            201: ReportSerializer,
            404: error_response("No such target (user, post, comment, ...), or not visible."),
        },
        summary="Report a user, post, comment, reply, chat message or product",
    )
    def post(self, request: Request) -> Response:
        data = ReportCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        report = services.report_create(reporter=request_user(request), **data.validated_data)
        return Response(ReportSerializer(report).data, status=status.HTTP_201_CREATED)


class MyReportListView(generics.ListAPIView):
    """The caller's own reports with their status and outcome, naming what was reported."""

    permission_classes = [permissions.IsAuthenticated]
    serializer_class = MyReportSerializer
    pagination_class = PageNumberPagination

    def get_queryset(self) -> Any:
        return selectors.report_list_for_reporter(reporter=request_user(self.request))

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(self.get_queryset()) or []
        hidden = selectors.hidden_targets(reports=list(page))
        data = MyReportSerializer(page, many=True, context={"hidden": hidden}).data
        return self.get_paginated_response(data)


class MyWarningListView(generics.ListAPIView):
    """Moderation warnings the caller received."""

    permission_classes = [permissions.IsAuthenticated]
    serializer_class = WarningSerializer
    pagination_class = PageNumberPagination

    def get_queryset(self) -> Any:
        return selectors.warning_list_for_user(user=request_user(self.request))


class ReportDetailView(APIView):
    permission_classes = [IsStaff]

    def _render(self, report: Report) -> Response:
        live = selectors.report_live_target(report=report)
        return Response(StaffReportDetailSerializer(report, context={"live_target": live}).data)

    @extend_schema(
        responses=StaffReportDetailSerializer,
        summary="A report with evidence, live target, notes and history (staff only)",
    )
    def get(self, request: Request, uuid: Any) -> Response:
        return self._render(selectors.report_get_for_staff(uuid=uuid))

    @extend_schema(
        request=ReportUpdateSerializer,
        responses=StaffReportDetailSerializer,
        summary="Move a report through the workflow, assign it, add a note (staff only)",
    )
    def patch(self, request: Request, uuid: Any) -> Response:
        data = ReportUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        if "assignee" not in request.data:
            fields["assignee"] = services.UNSET
        report = services.report_update(actor=request_user(request), uuid=uuid, **fields)
        return self._render(selectors.report_detail_load(report=report))


class ReportStatsView(APIView):
    permission_classes = [IsStaff]

    @extend_schema(
        parameters=_DATE_PARAMS,
        responses=StatsSerializer,
        summary="Counts by status, target type, reason and day; median time to resolution",
    )
    def get(self, request: Request) -> Response:
        query = StatsQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        stats = report_stats(start=query.validated_data["from"], end=query.validated_data["to"])
        return Response(StatsSerializer(stats).data)


_ERROR = error_schema("ReportError")

_APPEAL_EXAMPLE = {
    "uuid": "0b8f2a52-8d0e-4a43-9a3c-6d1f6a0f4a11",
    "text": "This is my own photo of the product, not a copy.",
    "status": "pending",
    "decision_reason": "",
    "decided_at": None,
    "created_at": "2026-03-01T09:30:00+09:00",
    "hidden_content": {
        "target_type": "product",
        "target": "6f1c2b9e-7a51-4d0e-b3c2-0d9e8f7a6b5c",
        "excerpt": "Jeju tangerines 5 kg",
        "reason": "copied_photo",
        "message": "Photo copied from another seller",
        "hidden": True,
        "hidden_at": "2026-03-01T09:00:00+09:00",
        "restored_at": None,
    },
}


class AppealListCreateView(generics.GenericAPIView):
    """POST: the author of hidden content appeals once. GET: the staff appeals queue."""

    pagination_class = PageNumberPagination
    serializer_class = StaffAppealSerializer

    def get_permissions(self) -> list[permissions.BasePermission]:
        if self.request.method == "POST":
            return [permissions.IsAuthenticated()]
        return [IsStaff()]

    @extend_schema(
        parameters=[AppealListQuerySerializer(partial=True)],
        responses={200: StaffAppealSerializer(many=True), 400: _ERROR, 401: _ERROR, 403: _ERROR},
        summary="The appeals queue, newest first, optionally by status (staff only)",
    )
    def get(self, request: Request) -> Response:
        query = AppealListQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        qs = selectors.appeal_list_for_staff(status=query.validated_data.get("status"))
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(StaffAppealSerializer(page, many=True).data)

    @extend_schema(
        request=AppealCreateSerializer,
        responses={201: AppealSerializer, 400: _ERROR, 401: _ERROR, 404: _ERROR, 409: _ERROR},
        summary="Appeal once against moderation hiding my content",
        description=(
            "Only the author of content hidden by staff may appeal, once per piece of content. "
            "404 for unknown content or anyone else's; 400 `not_hidden` when it is visible; "
            "409 `appeal_exists` for a second appeal."
        ),
        examples=[
            OpenApiExample(
                "Appeal",
                value={
                    "target_type": "product",
                    "target": "6f1c2b9e-7a51-4d0e-b3c2-0d9e8f7a6b5c",
                    "text": "This is my own photo of the product, not a copy.",
                },
                request_only=True,
            ),
            OpenApiExample(
                "Created", value=_APPEAL_EXAMPLE, response_only=True, status_codes=["201"]
            ),
            OpenApiExample(
                "Second appeal",
                value={
                    "code": "appeal_exists",
                    "detail": "You already appealed against hiding this content.",
                },
                response_only=True,
                status_codes=["409"],
            ),
        ],
    )
    def post(self, request: Request) -> Response:
        data = AppealCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        appeal = services.appeal_create(
            author=request_user(request),
            target_type=data.validated_data["target_type"],
            target=str(data.validated_data["target"]),
            text=data.validated_data["text"],
        )
        return Response(AppealSerializer(appeal).data, status=status.HTTP_201_CREATED)


class MyAppealListView(generics.ListAPIView):
    """The caller's own appeals and their outcomes, newest first."""

    permission_classes = [permissions.IsAuthenticated]
    serializer_class = AppealSerializer
    pagination_class = PageNumberPagination

    def get_queryset(self) -> Any:
        return selectors.appeal_list_for_author(author=request_user(self.request))


class HiddenContentView(APIView):
    """What moderation hid of mine (why, when) and my appeal: the appeal page's data."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        parameters=[HiddenContentQuerySerializer],
        responses={200: HiddenContentSerializer, 400: _ERROR, 401: _ERROR, 404: _ERROR},
        summary="My content hidden by moderation, with my appeal if any",
        examples=[
            OpenApiExample(
                "Hidden, not appealed yet",
                value={**_APPEAL_EXAMPLE["hidden_content"], "appeal": None},  # type: ignore[dict-item]
                response_only=True,
            )
        ],
    )
    def get(self, request: Request) -> Response:
        query = HiddenContentQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        hiding = selectors.hiding_for_author(
            author=request_user(request),
            target_type=query.validated_data["target_type"],
            target=str(query.validated_data["target"]),
        )
        return Response(HiddenContentSerializer(hiding).data)  # type: ignore[arg-type]


class AppealDetailView(APIView):
    permission_classes = [IsStaff]

    @extend_schema(
        responses={200: StaffAppealSerializer, 401: _ERROR, 403: _ERROR, 404: _ERROR},
        summary="One appeal (staff only)",
    )
    def get(self, request: Request, uuid: Any) -> Response:
        return Response(StaffAppealSerializer(selectors.appeal_get_for_staff(uuid=uuid)).data)

    @extend_schema(
        request=AppealDecisionSerializer,
        responses={200: StaffAppealSerializer, 400: _ERROR, 404: _ERROR, 409: _ERROR},
        summary="Uphold or overturn an appeal (staff only); overturned shows the content again",
        description=(
            "A decision is final. Of two staff deciding at once one wins; the other gets 409 "
            "`appeal_decided`. The author is notified (`appeal_resolved`)."
        ),
        examples=[
            OpenApiExample(
                "Overturn",
                value={"decision": "overturned", "reason": "The seller showed the receipt."},
                request_only=True,
            ),
            OpenApiExample(
                "Already decided",
                value={"code": "appeal_decided", "detail": "This appeal was already decided."},
                response_only=True,
                status_codes=["409"],
            ),
        ],
    )
    def patch(self, request: Request, uuid: Any) -> Response:
        data = AppealDecisionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        appeal = services.appeal_decide(
            actor=request_user(request), uuid=uuid, **data.validated_data
        )
        return Response(StaffAppealSerializer(appeal).data)
