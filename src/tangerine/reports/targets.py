"""The registry of reportable things: how to find one for a reporter, who wrote it, how to freeze
its evidence, and how to hide it.

Each kind is a ``TargetKind``; ``KINDS`` maps ``target_type`` to it. Models of other apps are
imported inside functions, so a kind whose app has not landed yet (chat messages) reports itself
as unavailable instead of breaking the import of this module.
"""

from __future__ import annotations

import uuid as uuid_lib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import models
from django.http import Http404
from django.utils import timezone

from tangerine.reports.models import TargetType


class TargetNotFound(Http404):
    """The target does not exist, or the reporter cannot see it (the same answer for both)."""


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _person(user: Any) -> dict[str, Any] | None:
    if user is None:
        return None
    return {"uuid": str(user.uuid), "handle": user.handle, "display_name": user.display_name}


def _image(image: Any) -> dict[str, Any]:
    """A reference to a stored image: the keys stay valid as long as storage keeps the files."""
    return {
        "uuid": str(image.uuid),
        "status": image.status,
        "key": image.key,
        "width": image.width,
        "height": image.height,
        "variants": [
            {"key": v.get("key"), "width": v.get("width"), "format": v.get("format")}
            for v in (image.variants or [])
        ],
    }


def _parse_uuid(ref: str) -> uuid_lib.UUID:
    try:
        return uuid_lib.UUID(str(ref))
    except ValueError as exc:
        raise TargetNotFound from exc


# --- users -----------------------------------------------------------------------------------


def _user_model() -> type[models.Model]:
    from tangerine.accounts.models import User

    return User


def _user_find(viewer: Any, ref: str) -> Any:
    from tangerine.accounts.selectors import user_get_by_handle

    try:
        return user_get_by_handle(handle=str(ref).lstrip("@"), viewer=viewer)
    except Http404 as exc:
        raise TargetNotFound from exc


def _user_snapshot(user: Any) -> dict[str, Any]:
    return {
        **(_person(user) or {}),
        "bio": user.bio,
        "link_1": user.link_1,
        "link_2": user.link_2,
        "profile_image": _image(user.profile_image) if user.profile_image_id else None,
        "is_active": user.is_active,
        "suspended_at": _iso(user.suspended_at),
        "created_at": _iso(user.created_at),
    }


# --- posts, comments, replies ----------------------------------------------------------------


def _post_model() -> type[models.Model]:
    from tangerine.posts.models import Post

    return Post


def _comment_model() -> type[models.Model]:
    from tangerine.posts.models import Comment

    return Comment


def _reply_model() -> type[models.Model]:
    from tangerine.posts.models import Reply

    return Reply


def _post_visible(viewer: Any) -> models.QuerySet[Any]:
    from tangerine.posts.models import Post

    return Post.objects.visible_to(viewer)


def _comment_visible(viewer: Any) -> models.QuerySet[Any]:
    from tangerine.posts.models import Comment

    # A comment under a post the viewer cannot see is not visible either.
    return Comment.objects.visible_to(viewer).filter(post__in=_post_visible(viewer))


def _reply_visible(viewer: Any) -> models.QuerySet[Any]:
    from tangerine.posts.models import Reply

    # Reply reuses Comment's QuerySet class, which misleads the type checker about its fields.
    replies: Any = Reply.objects.visible_to(viewer)
    return replies.filter(comment__in=_comment_visible(viewer))


def _post_snapshot(post: Any) -> dict[str, Any]:
    return {
        "uuid": str(post.uuid),
        "title": post.title,
        "text": post.text,
        "status": post.status,
        "category": post.category,
        "tags": sorted(tag.name for tag in post.tags.all()),
        "images": [_image(link.image) for link in post.post_images.select_related("image")],
        "author": _person(post.author),
        "created_at": _iso(post.created_at),
        "updated_at": _iso(post.updated_at),
        "hidden_at": _iso(post.hidden_at),
    }


def _comment_snapshot(comment: Any) -> dict[str, Any]:
    return {
        "uuid": str(comment.uuid),
        "text": comment.text,
        "post": str(comment.post.uuid),
        "author": _person(comment.author),
        "created_at": _iso(comment.created_at),
        "updated_at": _iso(comment.updated_at),
        "hidden_at": _iso(comment.hidden_at),
    }


def _reply_snapshot(reply: Any) -> dict[str, Any]:
    return {
        "uuid": str(reply.uuid),
        "text": reply.text,
        "comment": str(reply.comment.uuid),
        "post": str(reply.comment.post.uuid),
        "author": _person(reply.author),
        "created_at": _iso(reply.created_at),
        "updated_at": _iso(reply.updated_at),
        "hidden_at": _iso(reply.hidden_at),
    }


# --- products --------------------------------------------------------------------------------


def _product_model() -> type[models.Model]:
    from tangerine.products.models import Product

    return Product


def _product_visible(viewer: Any) -> models.QuerySet[Any]:
    from tangerine.products.models import Product

    return Product.objects.visible_to(viewer)


def _product_snapshot(product: Any) -> dict[str, Any]:
    return {
        "uuid": str(product.uuid),
        "name": product.name,
        "description": product.description,
        "price": product.price,
        "currency": product.currency,
        "link": product.link,
        "images": [_image(link.image) for link in product.product_images.select_related("image")],
        "owner": _person(product.owner),
        "created_at": _iso(product.created_at),
        "updated_at": _iso(product.updated_at),
        "hidden_at": _iso(product.hidden_at),
    }


# --- chat messages (the chats app may not have its Message model yet) -------------------------


def _message_model() -> Any:
    try:
        from tangerine.chats.models import Message
    except ImportError:  # the chats app predates its Message model
        return None
    return Message


def _message_visible(viewer: Any) -> models.QuerySet[Any]:
    """Messages of rooms ``viewer`` is a member of, under the shared visibility rules."""
    from tangerine.core.visibility import filter_visible

    message_model = _message_model()
    if message_model is None:
        raise TargetNotFound
    qs = message_model.objects.filter(room__memberships__user=viewer)
    return filter_visible(qs, viewer=viewer, author_field="sender")


def _message_snapshot(message: Any) -> dict[str, Any]:
    room = getattr(message, "room", None)
    return {
        "uuid": str(message.uuid),
        "text": getattr(message, "text", ""),
        "room": str(room.uuid) if room is not None else None,
        "seq": getattr(message, "seq", None),
        "sender": _person(message.sender),
        "created_at": _iso(getattr(message, "created_at", None)),
        "hidden_at": _iso(getattr(message, "hidden_at", None)),
    }


# --- the registry ----------------------------------------------------------------------------


@dataclass(frozen=True)
class TargetKind:
    name: str
    model: Callable[[], Any]
    # The viewer's visible queryset; ``None`` for users (looked up by handle instead).
    visible: Callable[[Any], models.QuerySet[Any]] | None
    # Field naming the author; ``None`` when the target is the user itself.
    author_field: str | None
    related: tuple[str, ...]
    snapshot_of: Callable[[Any], dict[str, Any]]
    find_user: Callable[[Any, str], Any] | None = None

    @property
    def available(self) -> bool:
        return self.model() is not None

    @property
    def hideable(self) -> bool:
        return self.author_field is not None

    def find_for_reporter(self, *, viewer: Any, ref: str) -> Any:
        """The target as ``viewer`` sees it, or ``TargetNotFound`` (missing or invisible)."""
        if self.find_user is not None:
            return self.find_user(viewer, ref)
        if self.visible is None:
            raise TargetNotFound
        obj = self.visible(viewer).select_related(*self.related).filter(uuid=_parse_uuid(ref))
        found = obj.first()
        if found is None:
            raise TargetNotFound
        return found

    def get(self, pk: int) -> Any | None:
        """The target by internal key, whatever its visibility (staff view), or None."""
        model = self.model()
        if model is None:
            return None
        return model._default_manager.select_related(*self.related).filter(pk=pk).first()

    def author(self, obj: Any) -> Any:
        return obj if self.author_field is None else getattr(obj, self.author_field)

    def snapshot(self, obj: Any) -> dict[str, Any]:
        return self.snapshot_of(obj)

    def set_hidden(self, *, pk: int, hidden: bool) -> bool:
        """Hide or unhide; True if this call changed anything."""
        model = self.model()
        if model is None or not self.hideable:
            return False
        qs = model._default_manager.filter(pk=pk, hidden_at__isnull=hidden)
        return bool(qs.update(hidden_at=timezone.now() if hidden else None))


KINDS: dict[str, TargetKind] = {
    TargetType.USER: TargetKind(
        name=TargetType.USER,
        model=_user_model,
        visible=None,
        author_field=None,
        related=("profile_image",),
        snapshot_of=_user_snapshot,
        find_user=_user_find,
    ),
    TargetType.POST: TargetKind(
        name=TargetType.POST,
        model=_post_model,
        visible=_post_visible,
        author_field="author",
        related=("author",),
        snapshot_of=_post_snapshot,
    ),
    TargetType.COMMENT: TargetKind(
        name=TargetType.COMMENT,
        model=_comment_model,
        visible=_comment_visible,
        author_field="author",
        related=("author", "post"),
        snapshot_of=_comment_snapshot,
    ),
    TargetType.REPLY: TargetKind(
        name=TargetType.REPLY,
        model=_reply_model,
        visible=_reply_visible,
        author_field="author",
        related=("author", "comment__post"),
        snapshot_of=_reply_snapshot,
    ),
    TargetType.CHAT_MESSAGE: TargetKind(
        name=TargetType.CHAT_MESSAGE,
        model=_message_model,
        visible=_message_visible,
        author_field="sender",
        related=("sender", "room"),
        snapshot_of=_message_snapshot,
    ),
    TargetType.PRODUCT: TargetKind(
        name=TargetType.PRODUCT,
        model=_product_model,
        visible=_product_visible,
        author_field="owner",
        related=("owner",),
        snapshot_of=_product_snapshot,
    ),
}


def target_kind(target_type: str) -> TargetKind:
    return KINDS[target_type]


def target_ref_for(kind: TargetKind, obj: Any) -> str:
    """What the API calls ``target``: a user's handle, otherwise the uuid."""
    return obj.handle if kind.find_user is not None else str(obj.uuid)
