"""Post writes: create, edit, delete, count a view."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import F
from rest_framework.exceptions import ValidationError

from tangerine.accounts.models import User
from tangerine.core.viewers import VIEW_WINDOW_SECONDS, view_dedup_key
from tangerine.images.services import images_attach, images_delete_unattached
from tangerine.posts import hooks
from tangerine.posts.models import (
    MAX_IMAGES,
    MAX_TAGS,
    TAG_MAX_LENGTH,
    Post,
    PostImage,
    PostTag,
    Tag,
)
from tangerine.posts.services.mentions import mentions_sync

logger = logging.getLogger(__name__)

# A viewer counts once per post in this window (seconds).


def tags_normalise(raw: Iterable[str]) -> list[str]:
    """Lower-case, strip leading ``#``, drop all whitespace, drop empties, dedupe (order kept).

    Raises a ``tags`` field error for more than ``MAX_TAGS`` tags or a tag longer than
    ``TAG_MAX_LENGTH`` characters (after normalising).
    """
    seen: dict[str, None] = {}
    for item in raw:
        name = "".join(str(item).split()).lstrip("#").lower()
        if not name:
            continue
        if len(name) > TAG_MAX_LENGTH:
            raise ValidationError(
                {"tags": [f"A tag has at most {TAG_MAX_LENGTH} characters: {name[:40]}..."]}
            )
        seen.setdefault(name, None)
    if len(seen) > MAX_TAGS:
        raise ValidationError({"tags": [f"A post has at most {MAX_TAGS} tags."]})
    return list(seen)


def _tags_get_or_create(names: Sequence[str]) -> list[Tag]:
    if not names:
        return []
    # ignore_conflicts makes parallel posts with a new tag safe: both end with the same row.
    Tag.objects.bulk_create([Tag(name=name) for name in names], ignore_conflicts=True)
    by_name = {tag.name: tag for tag in Tag.objects.filter(name__in=names)}
    return [by_name[name] for name in names]


def _tags_set(post: Post, names: Sequence[str]) -> None:
    """Replace the post's tags, keeping the order the author typed them in."""
    PostTag.objects.filter(post=post).delete()
    PostTag.objects.bulk_create(
        [
            PostTag(post=post, tag=tag, position=position)
            for position, tag in enumerate(_tags_get_or_create(names))
        ]
    )


def _attach(post: Post, uuids: Sequence[Any], *, created: bool = False) -> None:
    images_attach(
        owner=post.author,
        parent=post,
        link_model=PostImage,
        parent_field="post",
        uuids=uuids,
        max_count=MAX_IMAGES,
        created=created,
    )


@transaction.atomic
def post_create(
    *,
    author: User,
    text: str,
    title: str = "",
    tags: Iterable[str] = (),
    category: str = "",
    status: str = Post.Status.PUBLISHED,
    images: Sequence[Any] = (),
) -> Post:
    """Create a post. ``tags`` are normalised here and keep their order; ``images`` are image
    uuids of the author; ``@handle`` mentions are stored and announced after the commit."""
    names = tags_normalise(tags)
    post = Post(author=author, title=title, text=text, category=category, status=status)
    post.full_clean(exclude=["author"])
    post.save()
    _tags_set(post, names)
    _attach(post, images, created=True)
    mentions_sync(target=post, author=author)
    hooks.post_changed.send(hooks.PostChanged(post_id=post.pk))
    return post


_EDITABLE = ("title", "text", "category", "status")


@transaction.atomic
def post_update(*, post: Post, data: dict[str, Any]) -> Post:
    """Change the given fields of ``post`` (the caller checked authorship).

    ``data`` may hold title, text, category, status, tags (raw) and images (uuids); absent keys
    keep their value.
    """
    for field in _EDITABLE:
        if field in data:
            setattr(post, field, data[field])
    post.full_clean(exclude=["author"])
    post.save()
    if "tags" in data:
        _tags_set(post, tags_normalise(data["tags"]))
    if "images" in data:
        _attach(post, data["images"])
    if "text" in data:
        mentions_sync(target=post, author=post.author)
    hooks.post_changed.send(hooks.PostChanged(post_id=post.pk))
    return post


@transaction.atomic
def post_delete(*, post: Post) -> None:
    """Delete the post; comments, replies, likes and image links go with it (cascade), and its
    images with their files unless something else uses them."""
    post_id = post.pk
    image_ids = list(PostImage.objects.filter(post=post).values_list("image_id", flat=True))
    post.delete()
    if image_ids:
        images_delete_unattached(image_ids=image_ids)
    hooks.post_deleted.send(hooks.PostDeleted(post_id=post_id))


def post_view_count(*, post: Post, viewer_key: str) -> bool:
    """Count one view of ``post`` by ``viewer_key`` at most once per window; True if counted.

    Never raises and never waits on a locked row for long: a view is worth less than the
    response. On PostgreSQL the update gives up after a short lock timeout.
    """
    try:
        key = view_dedup_key(kind="post", object_id=post.pk, viewer=viewer_key)
        if not cache.add(key, 1, timeout=VIEW_WINDOW_SECONDS):
            return False
        with transaction.atomic():
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL lock_timeout = '200ms'")
            Post.objects.filter(pk=post.pk).update(view_count=F("view_count") + 1)
    # Any failure (cache down, lock timeout) only loses a view; the response must not fail.
    except Exception:
        logger.warning("Could not count a view of post %s", post.pk, exc_info=True)
        return False
    return True
