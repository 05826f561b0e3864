"""What "download my data" includes from reports: the reports I filed and warnings I received.

Staff notes, assignees and the audit trail are moderation records, not the user's data, and
other people's reports about the user are left out (they would expose the reporters).
"""

from __future__ import annotations

from typing import Any

from tangerine.core import exports


def export_reports(user: Any) -> dict[str, Any]:
    from tangerine.reports.models import ModerationWarning, Report, Status

    filed = Report.objects.filter(reporter=user).order_by("created_at", "id")
    warnings = ModerationWarning.objects.filter(user=user).order_by("created_at", "id")
    return {
        "reports_filed": [
            {
                "uuid": str(report.uuid),
                "target_type": report.target_type,
                "target": report.target_ref,
                "reason": report.reason,
                "description": report.description,
                "status": report.status,
                "actions": report.actions if report.status == Status.RESOLVED else [],
                "created_at": report.created_at.isoformat(),
            }
            for report in filed
        ],
        "warnings_received": [
            {
                "uuid": str(warning.uuid),
                "reason": warning.reason,
                "message": warning.message,
                "created_at": warning.created_at.isoformat(),
            }
            for warning in warnings
        ],
    }


def register() -> None:
    exports.register(name="reports", exporter=export_reports)
