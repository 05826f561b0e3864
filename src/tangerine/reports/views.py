"""Thin HTTP views for reports: parse, call a service or selector, render."""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, permissions, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from tangerine.accounts.auth import request_user
from tangerine.core.pagination import PageNumberPagination
from tangerine.reports import selectors, services
from tangerine.reports.models import Report
from tangerine.reports.serializers import (
    MyReportSerializer,
    ReportCreateSerializer,
    ReportSerializer,
    ReportUpdateSerializer,
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
        responses={201: ReportSerializer},
        summary="Report a user, post, comment, reply, chat message or product",
    )
    def post(self, request: Request) -> Response:
        data = ReportCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        report = services.report_create(reporter=request_user(request), **data.validated_data)
        return Response(ReportSerializer(report).data, status=status.HTTP_201_CREATED)


class MyReportListView(generics.ListAPIView):
    """The caller's own reports with their status and outcome."""

    permission_classes = [permissions.IsAuthenticated]
    serializer_class = MyReportSerializer
    pagination_class = PageNumberPagination

    def get_queryset(self) -> Any:
        return selectors.report_list_for_reporter(reporter=request_user(self.request))


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
