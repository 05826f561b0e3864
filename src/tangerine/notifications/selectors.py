"""Reads for notifications: a recipient sees their own, minus those from people they have
since blocked, been blocked by, or muted (the same rules that stop new ones being created).

A notification's actors are its ``NotificationActor`` rows; a group (``GROUPED_KINDS``) has one
per person. What the list shows of them is part of each row, so a page is one query: the count
of actors the recipient may still see (a subquery), and the newest three of them with their
profile images (a JSON column, ``cards.actors_column``). A notification whose actors are all
hidden from the recipient is left out; one that never had actors (moderation) or whose actors
all deleted their accounts stays, with ``actor`` null.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from tangerine.accounts.models import Block, Mute, User
from tangerine.core.compiled import CompiledPage, NotCompilableError, compiled_query, pk_slot
from tangerine.notifications.cards import actors_column
from tangerine.notifications.models import (
    DisabledKind,
    Kind,
    Notification,
    NotificationActor,
    TargetType,
)
from tangerine.posts.models import Comment, Post, Reply
from tangerine.products.models import Product

# The unread count stops here: the badge shows "99+" above 99, and each unread row costs the
# visibility filter's EXISTS (0.15 ms a row at 200k posts: 83 ms for 554 unread rows).
UNREAD_COUNT_MAX = 100


def visible_actor_rows(*, recipient: User) -> QuerySet[NotificationActor]:
    """Actor rows the recipient may see: no block either way, not muted, account active."""
    blocked = Block.objects.between(recipient, OuterRef("actor_id"))
    muted = Mute.objects.filter(muter=recipient, muted=OuterRef("actor_id"))
    return NotificationActor.objects.filter(
        ~Exists(blocked),
        ~Exists(muted),
        actor__is_active=True,
        actor__suspended_at__isnull=True,
    )


# Where ``notification_qs_for_recipient`` keeps its answer on the recipient object.
_MEMO_ATTR = "_notifications_visible_qs"


def notification_qs_for_recipient(*, recipient: User) -> QuerySet[Notification]:
    """The recipient's visible notifications (unordered; the paginator orders them).

    Building this filter (five EXISTS, nested three deep) costs ~10 ms of CPU, and one request
    wants it twice (the page and the unread count): it is built once per recipient object and
    cloned after. A queryset is lazy SQL, so blocks or mutes made since are still seen; the
    memo is keyed by ``is_staff``, the one attribute of the user the SQL depends on besides
    the id.
    """
    memo = getattr(recipient, _MEMO_ATTR, None)
    if memo is not None and memo[0] == (recipient.pk, recipient.is_staff):
        return memo[1].all()
    qs = _build_qs_for_recipient(recipient)
    setattr(recipient, _MEMO_ATTR, ((recipient.pk, recipient.is_staff), qs))
    return qs.all()


def _build_qs_for_recipient(recipient: User) -> QuerySet[Notification]:
    visible = visible_actor_rows(recipient=recipient).filter(notification=OuterRef("pk"))
    any_actor = NotificationActor.objects.filter(notification=OuterRef("pk"))
    qs = Notification.objects.filter(recipient=recipient).filter(
        Exists(visible) | ~Exists(any_actor)
    )
    # The stored preview must not outlive its content: what was deleted, hidden by moderation,
    # unpublished or written by a since-suspended user is no longer listed (nor counted). A
    # "your content was hidden" notice is about hidden content by definition: it stays.
    posts = Post.objects.visible_to(recipient)
    comments = Comment.objects.visible_to(recipient).filter(post__in=posts)
    replies = Reply.objects.visible_to(recipient).filter(comment__in=comments)
    products = Product.objects.visible_to(recipient)
    return qs.filter(
        Q(kind=Kind.CONTENT_HIDDEN)
        | Q(
            Q(post_uuid__isnull=True) | Exists(posts.filter(uuid=OuterRef("post_uuid"))),
            ~Q(target_type=TargetType.POST) | Exists(posts.filter(uuid=OuterRef("target_uuid"))),
            ~Q(target_type=TargetType.COMMENT)
            | Exists(comments.filter(uuid=OuterRef("target_uuid"))),
            ~Q(target_type=TargetType.REPLY) | Exists(replies.filter(uuid=OuterRef("target_uuid"))),
            ~Q(target_type=TargetType.PRODUCT)
            | Exists(products.filter(uuid=OuterRef("target_uuid"))),
        )
    )


def notification_list(*, recipient: User) -> QuerySet[Notification]:
    """One query per page: each row with its visible actor count and its newest
    ``SHOWN_ACTORS`` visible actors (``card_actors``, profile images included)."""
    count = (
        visible_actor_rows(recipient=recipient)
        .filter(notification=OuterRef("pk"))
        .order_by()
        .values("notification")
        .annotate(n=Count("id"))
        .values("n")
    )
    qs = notification_qs_for_recipient(recipient=recipient)
    return qs.annotate(
        actor_count=Coalesce(Subquery(count, output_field=IntegerField()), 0),
        card_actors=actors_column(recipient.pk, qs.db),
    )


def _stand_in(recipient: User, pk: Any) -> User:
    """A recipient like ``recipient`` in all the list's SQL depends on (staff or not), with
    primary key ``pk``: a compiled query's stand-in."""
    return User(pk=pk, is_staff=recipient.is_staff)


def notification_page(*, recipient: User) -> CompiledPage:
    """``notification_list`` for ``CursorPagination``, compiled once per kind of recipient
    (``core.compiled``): its filter (five EXISTS, nested three deep), the actor count and the
    actors' column cost ~10 ms of CPU to build and compile per request."""
    return CompiledPage(
        key=("notifications.list", bool(recipient.is_staff)),
        build=lambda values: notification_list(recipient=_stand_in(recipient, values["recipient"])),
        slots={"recipient": pk_slot()},
        values={"recipient": recipient.pk},
        bound_field=Notification._meta.get_field("latest_at"),
        using=Notification.objects.db,
    )


def notification_for_event(notification: Notification) -> Notification:
    """The row as the list shows it (actors and count), for the socket event; the row itself
    when the list would not show it."""
    found = notification_list(recipient=notification.recipient).filter(pk=notification.pk).first()
    return found if found is not None else notification


def notification_unread_count(*, recipient: User) -> int:
    """One read over the partial unread index (a group counts once), of at most
    ``UNREAD_COUNT_MAX`` rows: past it the answer is ``UNREAD_COUNT_MAX`` ("99+"). Compiled
    once per kind of recipient (``core.compiled``), as the list."""

    def unread(values: Any) -> QuerySet[Any]:
        qs = notification_qs_for_recipient(recipient=_stand_in(recipient, values["recipient"]))
        return qs.filter(read_at__isnull=True).order_by().values_list("pk")[:UNREAD_COUNT_MAX]

    values = {"recipient": recipient.pk}
    try:
        query = compiled_query(
            ("notifications.unread", bool(recipient.is_staff)),
            unread,
            {"recipient": pk_slot()},
            Notification.objects.db,
        )
    except NotCompilableError:
        return unread(values).count()
    return len(query.rows(values))


def kinds_off(*, user: User) -> set[str]:
    """The kinds ``user`` turned off (preferences); empty by default."""
    return set(DisabledKind.objects.filter(user=user).values_list("kind", flat=True))


def notification_preferences(*, user: User) -> dict[str, bool]:
    """Every kind, on (True) unless the user turned it off."""
    disabled = kinds_off(user=user)
    return {kind: kind not in disabled for kind in Kind.values}
