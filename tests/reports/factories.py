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
        from tangerine.chats.models import Membership, Message, Room  # type: ignore[attr-defined]
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
