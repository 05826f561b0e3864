"""Input and output shapes of the reports API (field names are part of the SPEC contract)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from tangerine.accounts.serializers import UserBriefSerializer
from tangerine.reports.models import (
    AUDIT_REASON_MAX_LENGTH,
    DESCRIPTION_MAX_LENGTH,
    NOTE_MAX_LENGTH,
    Action,
    AuditLog,
    ModerationWarning,
    Reason,
    Report,
    ReportNote,
    Status,
    TargetType,
)
from tangerine.reports.services import MAX_ACTIONS

TARGET_MAX_LENGTH = 64


class ReportCreateSerializer(serializers.Serializer[dict[str, Any]]):
    target_type = serializers.ChoiceField(choices=TargetType.choices)
    target = serializers.CharField(
        max_length=TARGET_MAX_LENGTH, help_text="The target's uuid; a handle for a user."
    )
    reason = serializers.ChoiceField(choices=Reason.choices)
    description = serializers.CharField(
        max_length=DESCRIPTION_MAX_LENGTH, required=False, allow_blank=True, default=""
    )


class ReportSerializer(serializers.ModelSerializer[Report]):
    """The contract shape: what the reporter gets back when filing."""

    target = serializers.CharField(source="target_ref", read_only=True)

    class Meta:
        model = Report
        fields = ["uuid", "target_type", "target", "reason", "description", "status", "created_at"]
        read_only_fields = fields


class OutcomeSerializer(serializers.Serializer[dict[str, Any]]):
    actions = serializers.ListField(child=serializers.ChoiceField(choices=Action.choices))
    closed_at = serializers.DateTimeField(allow_null=True)


class MyReportSerializer(ReportSerializer):
    """The reporter's view: status and outcome, never staff notes, assignee or other reports."""

    outcome = serializers.SerializerMethodField()

    class Meta(ReportSerializer.Meta):
        fields = [*ReportSerializer.Meta.fields, "updated_at", "outcome"]
        read_only_fields = fields

    @extend_schema_field(OutcomeSerializer)
    def get_outcome(self, report: Report) -> dict[str, Any]:
        closed = report.status in (Status.RESOLVED, Status.REJECTED)
        return {
            "actions": list(report.actions) if report.status == Status.RESOLVED else [],
            "closed_at": report.closed_at if closed else None,
        }


class StaffReportSerializer(ReportSerializer):
    """A row of the staff queue."""

    reporter = UserBriefSerializer(read_only=True, allow_null=True)
    target_user = UserBriefSerializer(read_only=True, allow_null=True)
    assignee = UserBriefSerializer(read_only=True, allow_null=True)
    actions = serializers.ListField(
        child=serializers.ChoiceField(choices=Action.choices), read_only=True
    )

    class Meta(ReportSerializer.Meta):
        fields = [
            *ReportSerializer.Meta.fields,
            "reporter",
            "target_user",
            "assignee",
            "actions",
            "closed_at",
            "updated_at",
        ]
        read_only_fields = fields


class NoteSerializer(serializers.ModelSerializer[ReportNote]):
    author = serializers.CharField(source="author.handle", read_only=True, allow_null=True)

    class Meta:
        model = ReportNote
        fields = ["uuid", "author", "text", "created_at"]
        read_only_fields = fields


class AuditSerializer(serializers.ModelSerializer[AuditLog]):
    actor = serializers.CharField(source="actor_handle", read_only=True)

    class Meta:
        model = AuditLog
        fields = [
            "uuid",
            "actor",
            "action",
            "from_status",
            "to_status",
            "payload",
            "reason",
            "created_at",
        ]
        read_only_fields = fields


class StaffReportDetailSerializer(StaffReportSerializer):
    """A report for staff: the frozen evidence, the live target, notes and history."""

    evidence = serializers.JSONField(read_only=True)
    live_target = serializers.SerializerMethodField()
    notes = NoteSerializer(many=True, read_only=True)
    history = AuditSerializer(many=True, read_only=True, source="audit")

    class Meta(StaffReportSerializer.Meta):
        fields = [*StaffReportSerializer.Meta.fields, "evidence", "live_target", "notes", "history"]
        read_only_fields = fields

    @extend_schema_field(serializers.JSONField(allow_null=True))
    def get_live_target(self, report: Report) -> dict[str, Any] | None:
        return self.context.get("live_target")


class ReportUpdateSerializer(serializers.Serializer[dict[str, Any]]):
    status = serializers.ChoiceField(choices=Status.choices, required=False)
    actions = serializers.ListField(
        child=serializers.ChoiceField(choices=Action.choices),
        required=False,
        max_length=MAX_ACTIONS,
    )
    note = serializers.CharField(
        max_length=NOTE_MAX_LENGTH, required=False, allow_blank=True, default=""
    )
    assignee = serializers.CharField(
        max_length=30,
        required=False,
        allow_null=True,
        allow_blank=True,
        help_text="A staff handle; null or empty to unassign.",
    )
    reason = serializers.CharField(
        max_length=AUDIT_REASON_MAX_LENGTH,
        required=False,
        allow_blank=True,
        default="",
        help_text="Why (written in the audit log; the message of a warning).",
    )


class StaffListQuerySerializer(serializers.Serializer[dict[str, Any]]):
    status = serializers.ChoiceField(choices=Status.choices, required=False)
    target_type = serializers.ChoiceField(choices=TargetType.choices, required=False)
    reason = serializers.ChoiceField(choices=Reason.choices, required=False)
    assignee = serializers.CharField(
        max_length=30, required=False, help_text='A staff handle, or "none" for unassigned.'
    )
    # "from" is a Python keyword: the field is declared below under its real name.

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs.get("from") and attrs.get("to") and attrs["from"] > attrs["to"]:
            raise serializers.ValidationError({"to": ["Must not be before from."]})
        return attrs


StaffListQuerySerializer._declared_fields["from"] = serializers.DateField(required=False)
StaffListQuerySerializer._declared_fields["to"] = serializers.DateField(required=False)


DEFAULT_STATS_DAYS = 30


class StatsQuerySerializer(serializers.Serializer[dict[str, Any]]):
    """``from`` and ``to`` (inclusive dates); the default is the last 30 days up to today."""

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs.setdefault("to", timezone.localdate())
        attrs.setdefault("from", attrs["to"] - timedelta(days=DEFAULT_STATS_DAYS - 1))
        if attrs["from"] > attrs["to"]:
            raise serializers.ValidationError({"to": ["Must not be before from."]})
        days = (attrs["to"] - attrs["from"]).days + 1
        if days > settings.REPORT_STATS_MAX_DAYS:
            raise serializers.ValidationError(
                {"to": [f"The range may span at most {settings.REPORT_STATS_MAX_DAYS} days."]}
            )
        return attrs


StatsQuerySerializer._declared_fields["from"] = serializers.DateField(required=False)
StatsQuerySerializer._declared_fields["to"] = serializers.DateField(required=False)


class DayCountSerializer(serializers.Serializer[dict[str, Any]]):
    date = serializers.DateField()
    count = serializers.IntegerField()


class StatsSerializer(serializers.Serializer[dict[str, Any]]):
    total = serializers.IntegerField()
    by_status = serializers.DictField(child=serializers.IntegerField())
    by_target_type = serializers.DictField(child=serializers.IntegerField())
    by_reason = serializers.DictField(child=serializers.IntegerField())
    per_day = DayCountSerializer(many=True)
    resolved_count = serializers.IntegerField()
    median_resolution_seconds = serializers.FloatField(allow_null=True)
    median_close_seconds = serializers.FloatField(allow_null=True)
    open_now = serializers.IntegerField()


StatsSerializer._declared_fields["from"] = serializers.DateField()
StatsSerializer._declared_fields["to"] = serializers.DateField()


class WarningSerializer(serializers.ModelSerializer[ModerationWarning]):
    target_type = serializers.CharField(
        source="report.target_type", read_only=True, allow_null=True
    )
    target = serializers.CharField(source="report.target_ref", read_only=True, allow_null=True)

    class Meta:
        model = ModerationWarning
        fields = ["uuid", "reason", "message", "target_type", "target", "created_at"]
        read_only_fields = fields
