"""Content to report, created straight through the ORM (the other apps' services are not ours)."""

from __future__ import annotations

from typing import Any

from tangerine.accounts.models import User
from tangerine.posts.models import Comment, Post, Reply
from tangerine.products.models import Product


def make_post(*, author: User, **kwargs: Any) -> Post:
    fields: dict[str, Any] = {"title": "Fresh tangerines", "text": "Sweet and cheap, DM me."}
    fields.update(kwargs)
    return Post.objects.create(author=author, **fields)


def make_comment(*, post: Post, author: User, text: str = "Nice!") -> Comment:
    return Comment.objects.create(post=post, author=author, text=text)


def make_reply(*, comment: Comment, author: User, text: str = "Agreed.") -> Reply:
    return Reply.objects.create(comment=comment, author=author, text=text)


def make_product(*, owner: User, **kwargs: Any) -> Product:
    fields: dict[str, Any] = {
        "name": "Jeju tangerines 5 kg",
        "description": "Straight from the farm.",
        "price": 25000,
        "currency": "KRW",
        "link": "https://store.example.com/p/1",
    }
    fields.update(kwargs)
    return Product.objects.create(owner=owner, **fields)


def chat_models() -> tuple[Any, Any, Any] | None:
    """(Room, Membership, Message) once the chats app has them, else None."""
    try:
        from tangerine.chats.models import Membership, Message, Room
    except ImportError:
        return None
    return Room, Membership, Message


def make_chat_message(*, sender: User, members: list[User], text: str = "Pay me first.") -> Any:
    models = chat_models()
    assert models is not None
    room_model, membership_model, message_model = models
    room = room_model.objects.create()
    for user in {sender, *members}:
        membership_model.objects.create(room=room, user=user)
    return message_model.objects.create(room=room, sender=sender, text=text, seq=1, client_id="c-1")


def make_report(
    *,
    reporter: User,
    target_id: int,
    target_type: str = "post",
    reason: str = "spam",
    status: str = "pending",
    created_at: Any = None,
    closed_at: Any = None,
    target_user: User | None = None,
) -> Any:
    """A report row with chosen timestamps (for statistics and list sizes)."""
    from tangerine.reports.models import Report

    report = Report.objects.create(
        reporter=reporter,
        target_type=target_type,
        target_id=target_id,
        target_ref=str(target_id),
        target_user=target_user,
        reason=reason,
        status=status,
        closed_at=closed_at,
        evidence={"text": "frozen"},
    )
    if created_at is not None:  # created_at is auto_now_add: set it afterwards
        Report.objects.filter(pk=report.pk).update(created_at=created_at)
        report.created_at = created_at
    return report
