"""Input and output shapes of the reports API (field names are part of the SPEC contract)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from tangerine.accounts.serializers import UserBriefSerializer
from tangerine.core.schema import NonBlankCharField
from tangerine.reports.models import (
    APPEAL_TEXT_MAX_LENGTH,
    AUDIT_REASON_MAX_LENGTH,
    DESCRIPTION_MAX_LENGTH,
    NOTE_MAX_LENGTH,
    USER_REASONS,
    Action,
    Appeal,
    AppealStatus,
    AuditLog,
    ModerationWarning,
    Reason,
    Report,
    ReportNote,
    Status,
    TargetType,
)
from tangerine.reports.selectors import excerpt_of
from tangerine.reports.services import MAX_ACTIONS

TARGET_MAX_LENGTH = 64


class ReportCreateSerializer(serializers.Serializer[dict[str, Any]]):
    target_type = serializers.ChoiceField(choices=TargetType.choices)
    target = NonBlankCharField(
        max_length=TARGET_MAX_LENGTH, help_text="The target's uuid; a handle for a user."
    )
    reason = serializers.ChoiceField(choices=USER_REASONS)
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


def target_link(report: Report) -> str | None:
    """The web path of a report's target, from its frozen evidence (None when unknown)."""
    evidence = report.evidence or {}
    ref = report.target_ref
    if report.target_type in (TargetType.POST,):
        return f"/posts/{ref}"
    if report.target_type in (TargetType.COMMENT, TargetType.REPLY) and evidence.get("post"):
        return f"/posts/{evidence['post']}"
    if report.target_type == TargetType.PRODUCT:
        return f"/products/{ref}"
    if report.target_type == TargetType.USER:
        return f"/u/{ref}"
    if report.target_type == TargetType.CHAT_MESSAGE and evidence.get("room"):
        return f"/chat/{evidence['room']}"
    return None


class MyReportSerializer(ReportSerializer):
    """The reporter's view: status and outcome, never staff notes, assignee or other reports.

    ``target_excerpt`` names what was reported (as the reporter saw it); ``target_link`` is the
    web path while moderation does not hide it (context ``hidden``: the page's hidden targets).
    """

    outcome = serializers.SerializerMethodField()
    target_excerpt = serializers.SerializerMethodField()
    target_link = serializers.SerializerMethodField()

    class Meta(ReportSerializer.Meta):
        fields = [
            *ReportSerializer.Meta.fields,
            "updated_at",
            "outcome",
            "target_excerpt",
            "target_link",
        ]
        read_only_fields = fields

    def get_target_excerpt(self, report: Report) -> str:
        return excerpt_of(report.evidence)

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_target_link(self, report: Report) -> str | None:
        if (report.target_type, report.target_id) in self.context.get("hidden", set()):
            return None
        return target_link(report)

    @extend_schema_field(OutcomeSerializer)
    def get_outcome(self, report: Report) -> dict[str, Any]:
        closed = report.status in (Status.RESOLVED, Status.REJECTED)
        return {
            "actions": list(report.actions) if report.status == Status.RESOLVED else [],
            "closed_at": report.closed_at if closed else None,
        }


class StaffReportSerializer(ReportSerializer):
    """A row of the staff queue. ``assigned_to`` is ``assignee`` under the name the web app
    uses; ``system`` reports (copied photos) have no reporter."""

    reporter = UserBriefSerializer(read_only=True, allow_null=True)
    target_user = UserBriefSerializer(read_only=True, allow_null=True)
    assignee = UserBriefSerializer(read_only=True, allow_null=True)
    assigned_to = UserBriefSerializer(source="assignee", read_only=True, allow_null=True)
    target_excerpt = serializers.SerializerMethodField()
    actions = serializers.ListField(
        child=serializers.ChoiceField(choices=Action.choices), read_only=True
    )

    class Meta(ReportSerializer.Meta):
        fields = [
            *ReportSerializer.Meta.fields,
            "reporter",
            "target_user",
            "assignee",
            "assigned_to",
            "system",
            "target_excerpt",
            "actions",
            "closed_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_target_excerpt(self, report: Report) -> str:
        return excerpt_of(report.evidence)


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


QUEUE_STATUSES = [*Status.choices, ("open", "Open (pending or in review)")]


class StaffListQuerySerializer(serializers.Serializer[dict[str, Any]]):
    status = serializers.ChoiceField(
        choices=QUEUE_STATUSES,
        required=False,
        help_text="A status, or open for pending and in review together.",
    )
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


# --- appeals -------------------------------------------------------------------------------

APPEALABLE_TYPES = [
    (value, label) for value, label in TargetType.choices if value != TargetType.USER
]


class AppealCreateSerializer(serializers.Serializer[dict[str, Any]]):
    target_type = serializers.ChoiceField(choices=APPEALABLE_TYPES)
    target = serializers.UUIDField(help_text="The uuid of the hidden content.")
    text = serializers.CharField(
        max_length=APPEAL_TEXT_MAX_LENGTH, help_text="Why it should be shown again."
    )


class AppealHidingSerializer(serializers.Serializer[dict[str, Any]]):
    """What was hidden, why and when (the reason code and the staff's words)."""

    target_type = serializers.CharField()
    target = serializers.CharField(source="target_ref")
    excerpt = serializers.CharField()
    reason = serializers.ChoiceField(choices=Reason.choices)
    message = serializers.CharField()
    hidden = serializers.BooleanField()
    hidden_at = serializers.DateTimeField()
    restored_at = serializers.DateTimeField(allow_null=True)


class AppealBriefSerializer(serializers.ModelSerializer[Appeal]):
    status = serializers.ChoiceField(choices=AppealStatus.choices, read_only=True)

    class Meta:
        model = Appeal
        fields = ["uuid", "text", "status", "decision_reason", "decided_at", "created_at"]
        read_only_fields = fields


class AppealSerializer(AppealBriefSerializer):
    """An appeal as its author sees it, with what was hidden."""

    hidden_content = AppealHidingSerializer(source="hiding", read_only=True)

    class Meta(AppealBriefSerializer.Meta):
        fields = [*AppealBriefSerializer.Meta.fields, "hidden_content"]
        read_only_fields = fields


class StaffAppealSerializer(AppealSerializer):
    """An appeal in the staff queue: who appealed, who decided, the report that hid it."""

    author = UserBriefSerializer(read_only=True, allow_null=True)
    decided_by = UserBriefSerializer(read_only=True, allow_null=True)
    report = serializers.SerializerMethodField()

    class Meta(AppealSerializer.Meta):
        fields = [*AppealSerializer.Meta.fields, "author", "decided_by", "report"]
        read_only_fields = fields

    @extend_schema_field(serializers.UUIDField(allow_null=True))
    def get_report(self, appeal: Appeal) -> str | None:
        report = appeal.hiding.report
        return str(report.uuid) if report is not None else None


class AppealDecisionSerializer(serializers.Serializer[dict[str, Any]]):
    decision = serializers.ChoiceField(
        choices=[(AppealStatus.UPHELD, "Upheld"), (AppealStatus.OVERTURNED, "Overturned")],
        help_text="upheld keeps the content hidden; overturned shows it again.",
    )
    reason = serializers.CharField(
        max_length=AUDIT_REASON_MAX_LENGTH,
        required=False,
        allow_blank=True,
        default="",
        help_text="Why (shown to the author with the outcome).",
    )


class AppealListQuerySerializer(serializers.Serializer[dict[str, Any]]):
    status = serializers.ChoiceField(choices=AppealStatus.choices, required=False)


class HiddenContentQuerySerializer(serializers.Serializer[dict[str, Any]]):
    target_type = serializers.ChoiceField(choices=APPEALABLE_TYPES)
    target = serializers.UUIDField()


class HiddenContentSerializer(AppealHidingSerializer):
    """What of mine moderation hid, and my appeal (null until I appeal)."""

    appeal = serializers.SerializerMethodField()

    @extend_schema_field(AppealBriefSerializer(allow_null=True))
    def get_appeal(self, hiding: Any) -> dict[str, Any] | None:
        appeal = getattr(hiding, "appeal", None)
        return dict(AppealBriefSerializer(appeal).data) if appeal is not None else None
