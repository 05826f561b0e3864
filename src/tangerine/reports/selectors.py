"""Reads for reports: the reporter's own list, the staff queue and detail, warnings."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Prefetch, QuerySet, prefetch_related_objects
from django.http import Http404
from django.utils import timezone

from tangerine.accounts.models import User
from tangerine.core.moderation import content_kind
from tangerine.reports.models import (
    OPEN_STATUSES,
    Appeal,
    AuditLog,
    ContentHiding,
    ModerationWarning,
    Report,
    ReportNote,
)

# The people a staff view shows, joined in the report's own query.
STAFF_PEOPLE = (
    "reporter__profile_image",
    "target_user__profile_image",
    "assignee__profile_image",
)


# The people and the hidden content an appeal shows, joined in the appeal's own query.
APPEAL_PEOPLE = (
    "author__profile_image",
    "decided_by__profile_image",
    "hiding__report",
)

EXCERPT_MAX_LENGTH = 80


def excerpt_of(evidence: dict[str, Any] | None) -> str:
    """One line naming what a report is about, from its frozen evidence: a post's title (or
    text), a product's name, a comment's or message's text, a user's @handle."""
    evidence = evidence or {}
    text = ""
    for key in ("title", "name", "text"):
        if evidence.get(key):
            text = str(evidence[key])
            break
    if not text and evidence.get("handle"):
        text = f"@{evidence['handle']}"
    line = " ".join(text.split())
    if len(line) <= EXCERPT_MAX_LENGTH:
        return line
    return line[: EXCERPT_MAX_LENGTH - 1].rstrip() + "…"


def hidden_targets(*, reports: list[Report]) -> set[tuple[str, int]]:
    """Which of the reports' targets moderation hides now (one query for the page)."""
    keys = {(r.target_type, r.target_id) for r in reports}
    if not keys:
        return set()
    rows = ContentHiding.objects.filter(
        hidden=True,
        target_type__in={t for t, _ in keys},
        target_id__in={i for _, i in keys},
    ).values_list("target_type", "target_id")
    return {row for row in rows if row in keys}


def report_list_for_reporter(*, reporter: User) -> QuerySet[Report]:
    """The reporter's own reports, newest first: one query per page (no joins needed)."""
    return Report.objects.filter(reporter=reporter).order_by("-created_at", "-id")


def day_start(day: date) -> datetime:
    """Midnight at the start of ``day`` in the current time zone (days are bucketed there)."""
    return timezone.make_aware(datetime.combine(day, time.min))


def report_list_for_staff(*, filters: dict[str, Any]) -> QuerySet[Report]:
    """The staff queue, filtered, newest first; people joined in the same query.

    ``filters``: status, target_type, reason (exact), assignee (a handle, or "none" for
    unassigned), from/to (dates, inclusive, on ``created_at``).
    """
    qs = Report.objects.select_related(*STAFF_PEOPLE).order_by("-created_at", "-id")
    if filters.get("status") == "open":
        qs = qs.filter(status__in=OPEN_STATUSES)
        filters = {**filters, "status": None}
    for field in ("status", "target_type", "reason"):
        if filters.get(field):
            qs = qs.filter(**{field: filters[field]})
    assignee = filters.get("assignee")
    if assignee == "none":
        qs = qs.filter(assignee__isnull=True)
    elif assignee:
        qs = qs.filter(assignee__handle__iexact=assignee.lstrip("@"))
    if filters.get("from"):
        qs = qs.filter(created_at__gte=day_start(filters["from"]))
    if filters.get("to"):
        qs = qs.filter(created_at__lt=day_start(filters["to"] + timedelta(days=1)))
    return qs


_DETAIL_PREFETCH = (
    Prefetch("notes", queryset=ReportNote.objects.select_related("author")),
    Prefetch("audit", queryset=AuditLog.objects.order_by("created_at", "id")),
)


def report_get_for_staff(*, uuid: Any) -> Report:
    """One report with its people, notes (with authors) and audit history: three queries."""
    report = (
        Report.objects.select_related(*STAFF_PEOPLE)
        .prefetch_related(*_DETAIL_PREFETCH)
        .filter(uuid=uuid)
        .first()
    )
    if report is None:
        raise Http404
    return report


def report_detail_load(*, report: Report) -> Report:
    """Load notes and history onto a report whose people are already joined (after a write):
    two queries, instead of reading the report again."""
    prefetch_related_objects([report], *_DETAIL_PREFETCH)
    return report


def report_live_target(*, report: Report) -> dict[str, Any] | None:
    """The target as it is now (staff view, hidden or not), or None once it is deleted."""
    kind = content_kind(report.target_type)
    obj = kind.get(report.target_id) if kind is not None else None
    return kind.snapshot(obj) if kind is not None and obj is not None else None


def warning_list_for_user(*, user: User) -> QuerySet[ModerationWarning]:
    """Warnings ``user`` received, newest first, with the report they came from."""
    return (
        ModerationWarning.objects.filter(user=user)
        .select_related("report")
        .order_by("-created_at", "-id")
    )


def appeal_list_for_staff(*, status: str | None = None) -> QuerySet[Appeal]:
    """The appeals queue, newest first like reports, optionally by status; people and the
    hidden content joined in the same query (one query per page)."""
    qs = Appeal.objects.select_related(*APPEAL_PEOPLE).order_by("-created_at", "-id")
    if status:
        qs = qs.filter(status=status)
    return qs


def appeal_get_for_staff(*, uuid: Any) -> Appeal:
    appeal = Appeal.objects.select_related(*APPEAL_PEOPLE).filter(uuid=uuid).first()
    if appeal is None:
        raise Http404
    return appeal


def appeal_list_for_author(*, author: User) -> QuerySet[Appeal]:
    return (
        Appeal.objects.filter(author=author)
        .select_related(*APPEAL_PEOPLE)
        .order_by("-created_at", "-id")
    )


def hiding_for_author(*, author: User, target_type: str, target: str) -> ContentHiding:
    """What moderation hid of ``author``'s, with their appeal if any; 404 for anyone else's."""
    hiding = (
        ContentHiding.objects.select_related("appeal")
        .filter(target_type=target_type, target_ref=target, author=author)
        .first()
    )
    if hiding is None:
        raise Http404
    return hiding
