"""Reads for notifications: a recipient sees their own, minus those from people they have
since blocked, been blocked by, or muted (the same rules that stop new ones being created)."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet

from tangerine.accounts.models import Block, Mute, User
from tangerine.notifications.models import Notification, TargetType
from tangerine.posts.models import Comment, Post, Reply


def notification_qs_for_recipient(*, recipient: User) -> QuerySet[Notification]:
    """The recipient's visible notifications (unordered; the paginator orders them)."""
    blocked = Block.objects.between(recipient, OuterRef("actor_id"))
    muted = Mute.objects.filter(muter=recipient, muted=OuterRef("actor_id"))
    # A null actor (moderation, deleted account) matches neither subquery and stays visible.
    qs = Notification.objects.filter(recipient=recipient).filter(~Exists(blocked), ~Exists(muted))
    # The stored preview must not outlive its content: what was deleted, hidden by moderation,
    # unpublished or written by a since-suspended user is no longer listed (nor counted).
    qs = qs.exclude(
        Q(actor__isnull=False) & (Q(actor__is_active=False) | Q(actor__suspended_at__isnull=False))
    )
    posts = Post.objects.visible_to(recipient)
    comments = Comment.objects.visible_to(recipient).filter(post__in=posts)
    replies = Reply.objects.visible_to(recipient).filter(comment__in=comments)
    return qs.filter(
        Q(post_uuid__isnull=True) | Exists(posts.filter(uuid=OuterRef("post_uuid"))),
        ~Q(target_type=TargetType.POST) | Exists(posts.filter(uuid=OuterRef("target_uuid"))),
        ~Q(target_type=TargetType.COMMENT) | Exists(comments.filter(uuid=OuterRef("target_uuid"))),
        ~Q(target_type=TargetType.REPLY) | Exists(replies.filter(uuid=OuterRef("target_uuid"))),
    )


def notification_list(*, recipient: User) -> QuerySet[Notification]:
    """One query per page: the actor and the actor's profile image come joined."""
    return notification_qs_for_recipient(recipient=recipient).select_related(
        "actor", "actor__profile_image"
    )


def notification_unread_count(*, recipient: User) -> int:
    """One COUNT over the partial unread index."""
    return notification_qs_for_recipient(recipient=recipient).filter(read_at__isnull=True).count()
