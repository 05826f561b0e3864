"""Writes for reports: filing one, and the staff workflow with its audit trail.

Every change to a report writes one ``AuditLog`` row in the same transaction as the change.
Side effects that leave the database (closing the suspended user's sockets) run after commit.
"""

from __future__ import annotations

import uuid as uuid_lib
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
from tangerine.notifications.models import Kind as NotificationKind
from tangerine.notifications.models import TargetType as NotificationTarget
from tangerine.reports.models import (
    OPEN_STATUSES,
    Action,
    Appeal,
    AppealStatus,
    AuditLog,
    ContentHiding,
    ModerationWarning,
    Report,
    ReportNote,
    Status,
    TargetType,
)
from tangerine.reports.selectors import APPEAL_PEOPLE, STAFF_PEOPLE, excerpt_of

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


class AppealError(exceptions.APIException):
    """A refused appeal or appeal decision: a 4xx with its own machine code (docs/reports.md)."""

    status_code: int = status.HTTP_400_BAD_REQUEST
    default_detail = "The appeal was refused."
    default_code = "appeal_refused"

    def __init__(self, detail: str, *, code: str, status_code: int = 400) -> None:
        super().__init__(detail=detail, code=code)
        self.status_code = status_code


# How a hideable report target is named in notifications.
NOTIFICATION_TARGETS: dict[str, str] = {
    TargetType.POST: NotificationTarget.POST,
    TargetType.COMMENT: NotificationTarget.COMMENT,
    TargetType.REPLY: NotificationTarget.REPLY,
    TargetType.CHAT_MESSAGE: NotificationTarget.MESSAGE,
    TargetType.PRODUCT: NotificationTarget.PRODUCT,
}


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
        hide = action == Action.HIDE_CONTENT
        changed = kind.set_hidden(report.target_id, hide)
        if changed:
            _record_hiding(report=report, hidden=hide, message=reason)
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


def _record_hiding(*, report: Report, hidden: bool, message: str) -> None:
    """Keep ``ContentHiding`` in step with a report's hide or unhide, and tell the author of
    newly hidden content why (``content_hidden``, preview = the staff's words, or the report's
    reason code when they gave none); they may appeal once."""
    now = timezone.now()
    excerpt = excerpt_of(report.evidence)
    if not hidden:
        ContentHiding.objects.filter(
            target_type=report.target_type, target_id=report.target_id
        ).update(hidden=False, restored_at=now, updated_at=now)
        return
    # One upsert: hidden again after an earlier hiding keeps the row (and its one appeal).
    ContentHiding.objects.bulk_create(
        [
            ContentHiding(
                target_type=report.target_type,
                target_id=report.target_id,
                target_ref=report.target_ref,
                author=report.target_user,
                report=report,
                reason=report.reason,
                message=message,
                excerpt=excerpt,
                hidden=True,
                hidden_at=now,
                restored_at=None,
            )
        ],
        update_conflicts=True,
        unique_fields=["target_type", "target_id"],
        update_fields=[
            "report",
            "reason",
            "message",
            "excerpt",
            "hidden",
            "hidden_at",
            "restored_at",
            "updated_at",
        ],
    )
    if report.target_user is not None and report.target_type in NOTIFICATION_TARGETS:
        notifications.notification_create(
            recipient=report.target_user,
            actor=None,
            kind=NotificationKind.CONTENT_HIDDEN,
            target_type=NOTIFICATION_TARGETS[report.target_type],
            target_uuid=report.target_ref,
            preview=message or report.reason,
        )


def notify_report_outcome(*, report: Report) -> None:
    """Tell the reporter a report was closed, naming what it was about: preview
    ``"<resolved|rejected>: <excerpt of the target>"``. Nothing for system reports or a reporter
    whose account is gone; the staff member stays anonymous."""
    if report.reporter is None or report.status not in (Status.RESOLVED, Status.REJECTED):
        return
    excerpt = excerpt_of(report.evidence)
    notifications.notification_create(
        recipient=report.reporter,
        actor=None,
        kind=NotificationKind.REPORT_RESOLVED,
        target_type=NotificationTarget.REPORT,
        target_uuid=report.uuid,
        preview=f"{report.status}: {excerpt}" if excerpt else str(report.status),
    )


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
    status_changes = status is not None and status != report.status
    if assignee is UNSET and status_changes:
        # Acting on a report (moving its status) takes it: it is assigned to the actor.
        new_assignee = actor if actor.pk != report.assignee_id else report.assignee
    else:
        new_assignee = report.assignee if assignee is UNSET else _assignee_from_handle(assignee)
    assign_changes = new_assignee != report.assignee
    if (
        status is not None
        and status == report.status
        and not ((assignee is not UNSET and assign_changes) or note)
    ):
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
        if not status_changes:  # else saved with the status below, in one UPDATE
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
            report.save(update_fields=["status", "closed_at", "actions", "assignee", "updated_at"])
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
        notify_report_outcome(report=report)


# --- appeals -------------------------------------------------------------------------------


def _parse_ref(target: str) -> str:
    try:
        return str(uuid_lib.UUID(str(target).strip()))
    except ValueError:
        raise _invalid("target", "Must be the uuid of the hidden content.") from None


def _appeal_exists() -> AppealError:
    return AppealError(
        "You already appealed against hiding this content.",
        code="appeal_exists",
        status_code=status.HTTP_409_CONFLICT,
    )


def appeal_create(*, author: User, target_type: str, target: str, text: str) -> Appeal:
    """The author of hidden content appeals, once per piece of content.

    404 when the content is unknown or not the author's (the same answer, so appeals reveal
    nothing); 400 ``not_hidden`` when it is the author's and visible; 409 ``appeal_exists`` on a
    second appeal (also when two arrive at once: the database allows one).
    """
    kind = _kind_or_400(target_type)
    if not kind.hideable:
        raise _invalid("target_type", "Only hidden content can be appealed.")
    ref = _parse_ref(target)
    text = text.strip()
    if not text:
        raise _invalid("text", "Say why the content should be shown again.")
    hiding = (
        ContentHiding.objects.select_related("appeal")
        .filter(target_type=target_type, target_ref=ref)
        .first()
    )
    if hiding is None or hiding.author_id != author.pk:
        # Never hidden by moderation: the author's own visible content is a 400, else 404.
        if hiding is None and kind.author(kind.find_for_viewer(author, ref)).pk == author.pk:
            raise AppealError("This content is not hidden.", code="not_hidden")
        raise Http404
    live = kind.get(hiding.target_id)
    if live is None:
        raise Http404
    if getattr(live, "hidden_at", None) is None:
        raise AppealError("This content is not hidden.", code="not_hidden")
    if hasattr(hiding, "appeal"):
        raise _appeal_exists()
    try:
        with transaction.atomic():
            return Appeal.objects.create(hiding=hiding, author=author, text=text)
    except IntegrityError as exc:  # a parallel request appealed first
        raise _appeal_exists() from exc


@transaction.atomic
def appeal_decide(*, actor: User, uuid: Any, decision: str, reason: str = "") -> Appeal:
    """Staff uphold (the content stays hidden) or overturn (it is shown again through the
    owning app) a pending appeal; the author is told (``appeal_resolved``, preview
    ``"<decision>: <excerpt>"``).

    The decision is a conditional UPDATE on ``status = pending``: of two staff deciding at once
    one wins and the other gets 409 ``appeal_decided``; a decided appeal is final (409 too).
    """
    appeal = Appeal.objects.select_related(*APPEAL_PEOPLE).filter(uuid=uuid).first()
    if appeal is None:
        raise Http404
    if decision not in (AppealStatus.UPHELD, AppealStatus.OVERTURNED):
        raise _invalid("decision", "Must be upheld or overturned.")
    now = timezone.now()
    won = Appeal.objects.filter(pk=appeal.pk, status=AppealStatus.PENDING).update(
        status=decision,
        decided_by=actor,
        decided_at=now,
        decision_reason=reason.strip(),
        updated_at=now,
    )
    if not won:
        raise AppealError(
            "This appeal was already decided.",
            code="appeal_decided",
            status_code=status.HTTP_409_CONFLICT,
        )
    appeal.status, appeal.decided_by, appeal.decided_at = decision, actor, now
    appeal.decision_reason, appeal.updated_at = reason.strip(), now
    hiding = appeal.hiding
    if decision == AppealStatus.OVERTURNED:
        kind = _kind_or_400(hiding.target_type)
        if kind.set_hidden is not None:
            kind.set_hidden(hiding.target_id, False)  # the owning app re-indexes and announces
        hiding.hidden, hiding.restored_at, hiding.updated_at = False, now, now
        hiding.save(update_fields=["hidden", "restored_at", "updated_at"])
    if hiding.report_id is not None:
        AuditLog.objects.create(
            report_id=hiding.report_id,
            actor=actor,
            actor_handle=actor.handle,
            action=f"appeal_{decision}",
            payload={"appeal": str(appeal.uuid)},
            reason=reason.strip(),
        )
    if appeal.author is not None:
        notifications.notification_create(
            recipient=appeal.author,
            actor=None,
            kind=NotificationKind.APPEAL_RESOLVED,
            target_type=NotificationTarget.APPEAL,
            target_uuid=appeal.uuid,
            preview=f"{decision}: {hiding.excerpt}" if hiding.excerpt else decision,
        )
    return appeal
