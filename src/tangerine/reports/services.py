"""Writes for reports: filing one, and the staff workflow with its audit trail.

Every change to a report writes one ``AuditLog`` row in the same transaction as the change.
Side effects that leave the database (closing the suspended user's sockets) run after commit.
"""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone
from rest_framework import exceptions, status

from tangerine.accounts.models import User
from tangerine.accounts.services import user_suspend, user_unsuspend
from tangerine.core import ratelimit
from tangerine.core.moderation import ContentKind, content_kind
from tangerine.notifications import services as notifications
from tangerine.reports.models import (
    OPEN_STATUSES,
    Action,
    AuditLog,
    ModerationWarning,
    Report,
    ReportNote,
    Status,
)
from tangerine.reports.selectors import STAFF_PEOPLE

# Which status may follow which. Reopening is a move from a closed status back to an open one.
TRANSITIONS: dict[str, frozenset[str]] = {
    Status.PENDING: frozenset({Status.IN_REVIEW}),
    Status.IN_REVIEW: frozenset({Status.PENDING, Status.RESOLVED, Status.REJECTED}),
    Status.RESOLVED: frozenset({Status.PENDING, Status.IN_REVIEW}),
    Status.REJECTED: frozenset({Status.PENDING, Status.IN_REVIEW}),
}
CONTENT_ACTIONS = frozenset({Action.HIDE_CONTENT, Action.UNHIDE_CONTENT})
USER_ACTIONS = frozenset({Action.WARN_USER, Action.SUSPEND_USER, Action.UNSUSPEND_USER})
OPPOSITES = (
    (Action.HIDE_CONTENT, Action.UNHIDE_CONTENT),
    (Action.SUSPEND_USER, Action.UNSUSPEND_USER),
)
MAX_ACTIONS = len(Action.values)


class DuplicateReport(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "You already have an open report on this target."
    default_code = "duplicate_report"


class _Unset:
    pass


UNSET: Any = _Unset()


def _invalid(field: str, message: str) -> exceptions.ValidationError:
    return exceptions.ValidationError({field: [message]})


def _audit(
    *,
    report: Report,
    actor: User | None,
    action: str,
    from_status: str = "",
    to_status: str = "",
    payload: dict[str, Any] | None = None,
    reason: str = "",
    trail: list[AuditLog] | None = None,
) -> AuditLog:
    """One audit row: saved now, or (``trail``) collected for one bulk insert at the end of the
    calling service, in order."""
    row = AuditLog(
        report=report,
        actor=actor,
        actor_handle=actor.handle if actor is not None else "",
        action=action,
        from_status=from_status,
        to_status=to_status,
        payload=payload or {},
        reason=reason,
    )
    if trail is None:
        row.save()
    else:
        trail.append(row)
    return row


def _kind_or_400(target_type: str) -> ContentKind:
    kind = content_kind(target_type)
    if kind is None:
        raise _invalid("target_type", f"Reports on {target_type} are not available.")
    return kind


def report_create(
    *, reporter: User, target_type: str, target: str, reason: str, description: str = ""
) -> Report:
    """File a report on something ``reporter`` can see, freezing its evidence.

    Counts against the reporter's "report" rate limit (every attempt, so probing costs too).
    Raises 404 for a target that is missing or invisible to the reporter, 400 for a report on
    oneself or one's own content, 409 when the reporter already has an open report on it.
    """
    ratelimit.enforce(scope="report", keys=[f"user:{reporter.uuid}"])
    kind = _kind_or_400(target_type)
    obj = kind.find_for_viewer(reporter, target)
    author = kind.author(obj)
    if author is not None and author.pk == reporter.pk:
        raise _invalid("target", "You cannot report yourself or your own content.")
    evidence = kind.snapshot(obj)
    open_exists = Report.objects.filter(
        reporter=reporter, target_type=target_type, target_id=obj.pk, status__in=OPEN_STATUSES
    ).exists()
    if open_exists:
        raise DuplicateReport
    try:
        with transaction.atomic():
            report = Report.objects.create(
                reporter=reporter,
                target_type=target_type,
                target_id=obj.pk,
                target_ref=kind.ref(obj),
                target_user=author,
                reason=reason,
                description=description.strip(),
                evidence=evidence,
            )
            _audit(
                report=report,
                actor=reporter,
                action="created",
                to_status=Status.PENDING,
                payload={"reason": reason},
            )
    except IntegrityError as exc:  # a parallel request filed the same report first
        raise DuplicateReport from exc
    return report


def _validate_actions(*, report: Report, kind: ContentKind, actions: list[str]) -> Any:
    """Check the actions against the target; return the live target (or None)."""
    chosen = set(actions)
    for first, second in OPPOSITES:
        if first in chosen and second in chosen:
            raise _invalid("actions", f"{first} and {second} cannot be applied together.")
    target = kind.get(report.target_id)
    if chosen & CONTENT_ACTIONS:
        if not kind.hideable:
            raise _invalid(
                "actions", "A user cannot be hidden: use suspend_user or warn_user instead."
            )
        if target is None:
            raise _invalid("actions", "The reported content no longer exists.")
    if chosen & USER_ACTIONS:
        if report.target_user is None:
            raise _invalid("actions", "The reported user no longer exists.")
        if Action.SUSPEND_USER in chosen and report.target_user.is_staff:
            raise _invalid("actions", "A staff member cannot be suspended from a report.")
    return target


def _apply_action(
    *, report: Report, kind: ContentKind, action: str, actor: User, reason: str
) -> dict[str, Any]:
    user = report.target_user
    if action in (Action.HIDE_CONTENT, Action.UNHIDE_CONTENT):
        if kind.set_hidden is None:  # _validate_actions refused this already
            raise _invalid("actions", "This target cannot be hidden.")
        # The owning app hides its content and re-indexes and announces it.
        changed = kind.set_hidden(report.target_id, action == Action.HIDE_CONTENT)
        return {"changed": changed}
    if user is None:  # _validate_actions refused this already
        raise _invalid("actions", "The reported user no longer exists.")
    if action == Action.WARN_USER:
        warning = ModerationWarning.objects.create(
            user=user, report=report, reason=report.reason, message=reason
        )
        notifications.notify_warning(warning=warning)
        return {"user": user.handle, "warning": str(warning.uuid)}
    if action in (Action.SUSPEND_USER, Action.UNSUSPEND_USER):
        suspend = action == Action.SUSPEND_USER
        changed = user_suspend(user=user) if suspend else user_unsuspend(user=user)
        return {"user": user.handle, "changed": changed}
    raise _invalid("actions", f"Unknown action {action}.")  # pragma: no cover


def _assignee_from_handle(handle: str | None) -> User | None:
    if not handle:
        return None
    user = (
        User.objects.filter(handle__iexact=handle.lstrip("@"), is_staff=True, is_active=True)
        .select_related("profile_image")
        .first()
    )
    if user is None:
        raise _invalid("assignee", "No active staff member has this handle.")
    return user


@transaction.atomic
def report_update(
    *,
    actor: User,
    uuid: Any,
    status: str | None = None,
    actions: list[str] | None = None,
    note: str = "",
    assignee: Any = UNSET,
    reason: str = "",
) -> Report:
    """Move a report through the workflow (staff only; the caller checks ``actor.is_staff``).

    In one transaction, holding the report's row lock: assign (``assignee`` a staff handle, or
    None/"" to unassign), add a note, change status. ``actions`` are applied only when resolving,
    and resolving needs at least one. ``reason`` (why) is written on every audit row of this call
    and is the message of a warning. Every change writes one audit row. Invalid input raises 400
    before anything is written; an unknown ``uuid`` raises 404.

    Returns the report with its people loaded (the lock's query joins them), ready to render.
    """
    report = (
        Report.objects.select_for_update(of=("self",))
        .select_related(*STAFF_PEOPLE)
        .filter(uuid=uuid)
        .first()
    )
    if report is None:
        raise Http404
    actions = list(dict.fromkeys(actions or []))
    note = note.strip()
    reason = reason.strip()
    kind = _kind_or_400(report.target_type)
    new_assignee = report.assignee if assignee is UNSET else _assignee_from_handle(assignee)
    assign_changes = assignee is not UNSET and new_assignee != report.assignee
    status_changes = status is not None and status != report.status
    if status is not None and status == report.status and not (assign_changes or note):
        raise _invalid("status", f"The report is already {status}.")
    if not (assign_changes or status_changes or note or actions):
        raise exceptions.ValidationError(
            {"non_field_errors": ["Nothing to change: send status, actions, note or assignee."]}
        )
    if status_changes and status not in TRANSITIONS[report.status]:
        allowed = ", ".join(sorted(TRANSITIONS[report.status]))
        raise _invalid("status", f"A {report.status} report can move to: {allowed}.")
    if actions and not (status_changes and status == Status.RESOLVED):
        raise _invalid("actions", 'Actions are applied when resolving: send "status": "resolved".')
    if status_changes and status == Status.RESOLVED and not actions:
        raise _invalid("actions", "Resolving needs at least one action.")
    if actions:
        _validate_actions(report=report, kind=kind, actions=actions)

    trail: list[AuditLog] = []
    if assign_changes:
        old = report.assignee.handle if report.assignee else None
        report.assignee = new_assignee
        report.save(update_fields=["assignee", "updated_at"])
        _audit(
            report=report,
            actor=actor,
            action="assigned",
            payload={"from": old, "to": new_assignee.handle if new_assignee else None},
            reason=reason,
            trail=trail,
        )
    if note:
        created = ReportNote.objects.create(report=report, author=actor, text=note)
        _audit(
            report=report,
            actor=actor,
            action="note",
            payload={"note": str(created.uuid), "text": note},
            reason=reason,
            trail=trail,
        )
    if status_changes and status is not None:
        _change_status(
            report=report,
            actor=actor,
            kind=kind,
            to=status,
            actions=actions,
            why=reason,
            trail=trail,
        )
    AuditLog.objects.bulk_create(trail)
    return report


def _change_status(
    *,
    report: Report,
    actor: User,
    kind: ContentKind,
    to: str,
    actions: list[str],
    why: str,
    trail: list[AuditLog],
) -> None:
    previous = report.status
    report.status = to
    if to in (Status.RESOLVED, Status.REJECTED):
        report.closed_at = timezone.now()
        report.actions = actions
    else:  # reopened, or sent back to the queue
        report.closed_at = None
        report.actions = []
    try:
        with transaction.atomic():
            report.save(update_fields=["status", "closed_at", "actions", "updated_at"])
    except IntegrityError as exc:  # reopening would give the reporter two open reports
        raise DuplicateReport(
            "The reporter has another open report on this target; handle that one instead."
        ) from exc
    _audit(
        report=report,
        actor=actor,
        action="status",
        from_status=previous,
        to_status=to,
        payload={"actions": actions} if actions else {},
        reason=why,
        trail=trail,
    )
    for action in actions:
        payload = _apply_action(report=report, kind=kind, action=action, actor=actor, reason=why)
        _audit(
            report=report,
            actor=actor,
            action=action,
            from_status=previous,
            to_status=to,
            payload=payload,
            reason=why,
            trail=trail,
        )
    if to in (Status.RESOLVED, Status.REJECTED):
        notifications.notify_report_resolved(report=report)
