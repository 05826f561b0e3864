"""Report statistics for the staff dashboard, portable across SQLite and PostgreSQL.

Everything counts the reports *created* in the date range (days in the server's time zone), so
the totals agree: sum(by_status) == sum(by_target_type) == sum(by_reason) == sum(per day).
Medians are computed in Python over the closed reports of the range (one narrow query).
"""

from __future__ import annotations

import statistics
from datetime import date, timedelta
from typing import Any

from django.db.models import Count
from django.db.models.functions import TruncDate
from django.utils import timezone

from tangerine.reports.models import Reason, Report, Status, TargetType
from tangerine.reports.selectors import day_start


def _median_seconds(durations: list[float]) -> float | None:
    return round(statistics.median(durations), 3) if durations else None


def report_stats(*, start: date, end: date) -> dict[str, Any]:
    """Counts for reports created from ``start`` to ``end`` (inclusive): four queries.

    ``median_resolution_seconds``: median of (closed_at - created_at) over the range's reports
    that are now resolved; ``median_close_seconds`` the same over resolved and rejected ones.
    """
    in_range = Report.objects.filter(
        created_at__gte=day_start(start), created_at__lt=day_start(end + timedelta(days=1))
    )
    by_status = dict.fromkeys(Status.values, 0)
    by_target_type = dict.fromkeys(TargetType.values, 0)
    by_reason = dict.fromkeys(Reason.values, 0)
    # Query 1: one grouped count over the three dimensions (at most 4 x 6 x 10 rows).
    groups = in_range.values("status", "target_type", "reason").annotate(n=Count("id")).order_by()
    for row in groups:
        by_status[row["status"]] = by_status.get(row["status"], 0) + row["n"]
        by_target_type[row["target_type"]] = by_target_type.get(row["target_type"], 0) + row["n"]
        by_reason[row["reason"]] = by_reason.get(row["reason"], 0) + row["n"]

    # Query 2: per day, in the current time zone; days without reports are filled with zeros.
    per_day_counts = {
        row["day"]: row["n"]
        for row in in_range.annotate(
            day=TruncDate("created_at", tzinfo=timezone.get_current_timezone())
        )
        .values("day")
        .annotate(n=Count("id"))
        .order_by()
    }
    days = (end - start).days + 1
    per_day = [
        {"date": day.isoformat(), "count": per_day_counts.get(day, 0)}
        for day in (start + timedelta(days=offset) for offset in range(days))
    ]

    # Query 3: durations of the closed reports. Query 4 (below): the open queue now, any date.
    resolved: list[float] = []
    closed: list[float] = []
    for state, created_at, closed_at in in_range.filter(
        status__in=[Status.RESOLVED, Status.REJECTED], closed_at__isnull=False
    ).values_list("status", "created_at", "closed_at"):
        if closed_at is None:  # excluded by the filter; keeps the type checker honest
            continue
        seconds = (closed_at - created_at).total_seconds()
        closed.append(seconds)
        if state == Status.RESOLVED:
            resolved.append(seconds)

    return {
        "from": start.isoformat(),
        "to": end.isoformat(),
        "total": sum(by_status.values()),
        "by_status": by_status,
        "by_target_type": by_target_type,
        "by_reason": by_reason,
        "per_day": per_day,
        "resolved_count": len(resolved),
        "median_resolution_seconds": _median_seconds(resolved),
        "median_close_seconds": _median_seconds(closed),
        "open_now": Report.objects.filter(status__in=[Status.PENDING, Status.IN_REVIEW]).count(),
    }
