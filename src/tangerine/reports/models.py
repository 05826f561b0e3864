"""Reports, their staff notes, the append-only audit log, and warnings sent to users.

A report names its target by kind (``target_type``) and internal key (``target_id``); the app
that owns each kind registers how to find, snapshot and hide it (``core.moderation``). The
target may be deleted later: the ``evidence`` frozen at report time stays.
"""

from __future__ import annotations

import uuid
from typing import Any, ClassVar, NoReturn

from django.conf import settings
from django.db import models

from tangerine.core.models import BaseModel

DESCRIPTION_MAX_LENGTH = 1000
NOTE_MAX_LENGTH = 2000
AUDIT_REASON_MAX_LENGTH = 500
WARNING_MESSAGE_MAX_LENGTH = 1000


class TargetType(models.TextChoices):
    USER = "user"
    POST = "post"
    COMMENT = "comment"
    REPLY = "reply"
    CHAT_MESSAGE = "chat_message"
    PRODUCT = "product"


class Reason(models.TextChoices):
    SPAM = "spam"
    SCAM = "scam"
    COUNTERFEIT = "counterfeit"
    HARASSMENT = "harassment"
    HATE = "hate"
    SEXUAL = "sexual"
    VIOLENCE = "violence"
    ILLEGAL = "illegal"
    MISINFORMATION = "misinformation"
    OTHER = "other"
    # Filed by the system, never by a user: a product photo near-identical to another seller's.
    COPIED_PHOTO = "copied_photo"


# What a user may choose when filing (the system reasons are not offered).
USER_REASONS = [choice for choice in Reason.choices if choice[0] != Reason.COPIED_PHOTO]


class Status(models.TextChoices):
    PENDING = "pending"
    IN_REVIEW = "in_review"
    RESOLVED = "resolved"
    REJECTED = "rejected"


OPEN_STATUSES = (Status.PENDING, Status.IN_REVIEW)


class Action(models.TextChoices):
    HIDE_CONTENT = "hide_content"
    UNHIDE_CONTENT = "unhide_content"
    WARN_USER = "warn_user"
    SUSPEND_USER = "suspend_user"
    UNSUSPEND_USER = "unsuspend_user"


class Report(BaseModel):
    # SET_NULL everywhere: a report is moderation history and outlives the accounts it names.
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="reports_filed",
    )
    target_type = models.CharField(max_length=16, choices=TargetType.choices)
    # The target's internal key in its own table (not a FK: the kinds live in several tables).
    target_id = models.PositiveBigIntegerField()
    # What the API shows as ``target``: the uuid, or the handle at report time for a user.
    target_ref = models.CharField(max_length=64)
    # The author of the reported content (the user, for a user report): warned or suspended.
    target_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="reports_received",
    )
    reason = models.CharField(max_length=16, choices=Reason.choices)
    description = models.TextField(max_length=DESCRIPTION_MAX_LENGTH, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reports_assigned",
    )
    # Frozen at report time: later edits or deletion of the target do not change it.
    evidence = models.JSONField(default=dict)
    # The actions of the latest resolution (cleared on reopen); history is in the audit log.
    actions = models.JSONField(default=list, blank=True)
    # Set when the report is resolved or rejected, cleared on reopen.
    closed_at = models.DateTimeField(null=True, blank=True)
    # Filed by the system (copied-photo detection); ``reporter`` is then null.
    system = models.BooleanField(default=False)

    class Meta:
        constraints = [
            # One open report per reporter and target; a closed one may be followed by a new one.
            models.UniqueConstraint(
                fields=["reporter", "target_type", "target_id"],
                condition=models.Q(status__in=["pending", "in_review"]),
                name="report_one_open_per_reporter_target",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "-created_at", "-id"], name="report_status_latest"),
            models.Index(fields=["reporter", "-created_at", "-id"], name="report_reporter_latest"),
            models.Index(fields=["target_type", "target_id"], name="report_target"),
        ]

    def __str__(self) -> str:
        return f"Report {self.uuid} ({self.target_type}, {self.status})"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class ReportNote(BaseModel):
    """A staff note on a report, never shown to the reporter."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField(max_length=NOTE_MAX_LENGTH)

    class Meta:
        ordering = ["created_at", "id"]


class AppendOnlyError(Exception):
    """An audit row was about to be changed or deleted."""


class AuditLogQuerySet(models.QuerySet["AuditLog"]):
    def delete(self) -> NoReturn:
        raise AppendOnlyError("The audit log is append-only: rows cannot be deleted.")

    def update(self, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("The audit log is append-only: rows cannot be changed.")

    def bulk_update(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("The audit log is append-only: rows cannot be changed.")


class AuditLog(models.Model):
    """One row per change to a report: who did what, when, and why. Append-only in code.

    Deleting a user sets ``actor`` to NULL (``actor_handle`` keeps the name); a report with
    audit rows cannot be deleted (PROTECT).
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="audit")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_handle = models.CharField(max_length=30, blank=True)
    # "created", "status", "assigned", "note", or one of ``Action``.
    action = models.CharField(max_length=32)
    from_status = models.CharField(max_length=16, blank=True)
    to_status = models.CharField(max_length=16, blank=True)
    payload = models.JSONField(default=dict, blank=True)
    reason = models.CharField(max_length=AUDIT_REASON_MAX_LENGTH, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    objects: ClassVar[AuditLogQuerySet] = AuditLogQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["report", "created_at", "id"], name="audit_report_order")]

    def __str__(self) -> str:
        return f"{self.action} by @{self.actor_handle} on {self.report_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AppendOnlyError("The audit log is append-only: rows cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("The audit log is append-only: rows cannot be deleted.")


class ModerationWarning(BaseModel):
    """A moderation warning, shown to the warned user at GET /api/reports/warnings/mine/."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="moderation_warnings"
    )
    report = models.ForeignKey(Report, null=True, on_delete=models.SET_NULL, related_name="+")
    reason = models.CharField(max_length=16, choices=Reason.choices)
    message = models.TextField(max_length=WARNING_MESSAGE_MAX_LENGTH, blank=True)

    class Meta:
        indexes = [models.Index(fields=["user", "-created_at", "-id"], name="warning_user_latest")]

    def __str__(self) -> str:
        return f"Warning to {self.user_id} ({self.reason})"


APPEAL_TEXT_MAX_LENGTH = 1000


class ContentHiding(BaseModel):
    """The moderation state of one piece of content hidden by staff (one row per target).

    Written by ``reports`` whenever it hides or shows content again (a report's action, an
    overturned appeal). It is how the author's appeal finds what was hidden, why, and by which
    report, without reading the owning app; and how "my reports" knows a target is hidden.
    """

    target_type = models.CharField(max_length=16, choices=TargetType.choices)
    target_id = models.PositiveBigIntegerField()
    target_ref = models.CharField(max_length=64)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    report = models.ForeignKey(Report, null=True, on_delete=models.SET_NULL, related_name="+")
    reason = models.CharField(max_length=16, choices=Reason.choices)
    # The staff member's words (the report's ``reason`` field), shown to the author.
    message = models.CharField(max_length=AUDIT_REASON_MAX_LENGTH, blank=True)
    # A one-line excerpt of the content (title, name or text) for the author and staff.
    excerpt = models.CharField(max_length=140, blank=True)
    hidden = models.BooleanField(default=True)
    hidden_at = models.DateTimeField()
    restored_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["target_type", "target_id"], name="content_hiding_one_per_target"
            ),
        ]
        indexes = [models.Index(fields=["target_type", "target_ref"], name="hiding_target_ref")]

    def __str__(self) -> str:
        state = "hidden" if self.hidden else "shown"
        return f"Hidden {self.target_type} {self.target_ref} ({state})"


class AppealStatus(models.TextChoices):
    PENDING = "pending"
    UPHELD = "upheld"
    OVERTURNED = "overturned"


class Appeal(BaseModel):
    """The author's one appeal against hidden content; staff uphold or overturn it."""

    hiding = models.OneToOneField(ContentHiding, on_delete=models.CASCADE, related_name="appeal")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="appeals"
    )
    text = models.TextField(max_length=APPEAL_TEXT_MAX_LENGTH)
    status = models.CharField(
        max_length=16, choices=AppealStatus.choices, default=AppealStatus.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="appeals_decided",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    # Why (shown to the author with the outcome).
    decision_reason = models.CharField(max_length=AUDIT_REASON_MAX_LENGTH, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["status", "-created_at", "-id"], name="appeal_status_latest"),
            models.Index(fields=["author", "-created_at", "-id"], name="appeal_author_latest"),
        ]

    def __str__(self) -> str:
        return f"Appeal {self.uuid} ({self.status})"


class PhotoMatch(models.Model):
    """A product photo near-identical to another seller's earlier photo, reported once per pair.

    Image and product keys are plain integers: the match is moderation history and outlives
    the rows it names.
    """

    image_id = models.PositiveBigIntegerField()
    earlier_image_id = models.PositiveBigIntegerField()
    product_id = models.PositiveBigIntegerField()
    earlier_product_id = models.PositiveBigIntegerField()
    distance = models.PositiveSmallIntegerField()
    report = models.ForeignKey(Report, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["image_id", "earlier_image_id"], name="photo_match_once_per_pair"
            ),
        ]

    def __str__(self) -> str:
        return f"Photo {self.image_id} ~ {self.earlier_image_id} ({self.distance} bits)"
