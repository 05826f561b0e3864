"""Read-only admin for reports and the audit log.

Reports change only through the API (``services.report_update``), which writes the audit trail;
an admin form would bypass it, so every admin page here is view-only.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from tangerine.reports.models import AuditLog, ModerationWarning, Report, ReportNote


class _ReadOnly:
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class NoteInline(_ReadOnly, admin.TabularInline):
    model = ReportNote
    extra = 0
    fields = ("created_at", "author", "text")
    readonly_fields = fields


class AuditInline(_ReadOnly, admin.TabularInline):
    model = AuditLog
    extra = 0
    fields = ("created_at", "actor_handle", "action", "from_status", "to_status", "reason")
    readonly_fields = fields
    ordering = ("created_at", "id")


@admin.register(Report)
class ReportAdmin(_ReadOnly, admin.ModelAdmin):
    list_display = (
        "uuid",
        "target_type",
        "target_ref",
        "reason",
        "status",
        "reporter",
        "target_user",
        "assignee",
        "created_at",
    )
    list_filter = ("status", "target_type", "reason", "created_at")
    search_fields = ("uuid", "target_ref", "reporter__handle", "target_user__handle")
    list_select_related = ("reporter", "target_user", "assignee")
    date_hierarchy = "created_at"
    readonly_fields = (
        "uuid",
        "target_type",
        "target_id",
        "target_ref",
        "reporter",
        "target_user",
        "reason",
        "description",
        "status",
        "assignee",
        "actions",
        "evidence",
        "closed_at",
        "created_at",
        "updated_at",
    )
    inlines = (NoteInline, AuditInline)


@admin.register(AuditLog)
class AuditLogAdmin(_ReadOnly, admin.ModelAdmin):
    list_display = ("created_at", "actor_handle", "action", "from_status", "to_status", "report")
    list_filter = ("action", "to_status", "created_at")
    search_fields = ("actor_handle", "report__uuid", "reason")
    list_select_related = ("report",)
    readonly_fields = (
        "uuid",
        "report",
        "actor",
        "actor_handle",
        "action",
        "from_status",
        "to_status",
        "payload",
        "reason",
        "created_at",
    )


@admin.register(ModerationWarning)
class ModerationWarningAdmin(_ReadOnly, admin.ModelAdmin):
    list_display = ("created_at", "user", "reason", "report")
    list_select_related = ("user", "report")
    readonly_fields = ("uuid", "user", "report", "reason", "message", "created_at")
