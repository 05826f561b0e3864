"""A post card's tags, images and visible mentions as three JSON columns of the post's own row.

They were three prefetch queries per page (``selectors.post_prefetches``, still used where
posts are reached through likes): each built, compiled and run its queryset and made a model
instance per row, about 40 % of a feed page's CPU (bench/README.md, "CPU round"). Here each is
a correlated subquery aggregating that post's rows into a JSON array, in SQL written once per
database vendor and kind of viewer, so a page of posts is one query whatever its size; the
subqueries run off the ``(post, ...)`` indexes, a few rows each.

The rules are those of the prefetches they replace, and must stay equal to them
(``tests/posts/test_cards.py`` renders every card both ways): tags in the author's order
(``position, id``); images by ``position`` (then ``id``); mentions still in the text
(``in_text``) of people the viewer may see (active, not suspended, no block either way with a
signed-in viewer: ``selectors._visible_user_filter``), by ``position, id``.

Read them with ``tags_of``, ``images_of`` and ``mentions_of``, which fall back to the
relations (a query each) for a post not read through ``selectors.post_qs``. The SQL's pieces
are ``core.cardsql``'s; the images column is ``images.cards``' (products have one too).
"""

from __future__ import annotations

import functools
from typing import Any

from django.db import connections
from django.db.models import Expression

from tangerine.accounts.auth import Viewer
from tangerine.accounts.models import User
from tangerine.accounts.visibility import active_user_sql, no_block_sql
from tangerine.core.cardsql import OUTER, CardColumn, column, json_rows, json_rows_sql, table
from tangerine.images.cards import card_images, images_column
from tangerine.posts.models import Mention, Post, PostImage, PostTag, Tag


@functools.lru_cache(maxsize=4)
def _tags_sql(vendor: str) -> str:
    """The tag subquery's SQL for a vendor (images: ``images.cards``; mentions:
    ``_mentions_sql``)."""
    return json_rows_sql(
        vendor,
        {"name": column("t", Tag, "name")},
        f"{table(PostTag, 'pt')} INNER JOIN {table(Tag, 't')} ON "
        f"{column('t', Tag, 'id')} = {column('pt', PostTag, 'tag')}",
        f"{column('pt', PostTag, 'post')} = {OUTER}",
        f"{column('pt', PostTag, 'position')}, {column('pt', PostTag, 'id')}",
    )


@functools.lru_cache(maxsize=16)
def _mentions_sql(vendor: str, signed_in: bool, item: str) -> str:
    """The visible mentions of the outer post, comment or reply (``item``: the mention's
    foreign key to it); with ``signed_in`` it takes the viewer's primary key twice (the block
    check both ways)."""
    true = "true" if vendor == "postgresql" else "1"
    visible = (
        f"{column('m', Mention, item)} = {OUTER} AND {column('m', Mention, 'in_text')} = {true}"
        f" AND {active_user_sql(vendor, 'u')}"
    )
    if signed_in:
        visible += f" AND {no_block_sql(column('u', User, 'id'))}"
    return json_rows_sql(
        vendor,
        {f: column("u", User, f) for f in ("handle", "display_name")},
        f"{table(Mention, 'm')} INNER JOIN {table(User, 'u')} ON "
        f"{column('u', User, 'id')} = {column('m', Mention, 'user')}",
        visible,
        f"{column('m', Mention, 'position')}, {column('m', Mention, 'id')}",
    )


def card_columns(viewer: Viewer, using: str) -> dict[str, Expression]:
    """``annotate(**card_columns(viewer, qs.db))`` on a query of posts: the card's tags,
    images and visible mentions as JSON text (``tags_of``, ``images_of``, ``mentions_of``)."""
    return {
        "card_tags": CardColumn(_tags_sql(connections[using].vendor), ()),
        "card_images": images_column(PostImage, "post", using),
        **mention_column(viewer, using, "post"),
    }


def mention_column(viewer: Viewer, using: str, item: str) -> dict[str, Expression]:
    """``annotate(**mention_column(viewer, qs.db, "comment"))`` on a query of comments (or
    ``"reply"`` on replies): their visible mentions as ``card_mentions`` (``mentions_of``), the
    rules of ``selectors.mention_prefetch`` in the item's own row."""
    signed_in = viewer is not None and viewer.is_authenticated
    sql = _mentions_sql(connections[using].vendor, signed_in, item)
    params = (viewer.pk, viewer.pk) if signed_in and viewer is not None else ()
    return {"card_mentions": CardColumn(sql, params)}


def tags_of(post: Post) -> list[str]:
    """The post's tag names in the author's order."""
    if hasattr(post, "card_tags"):
        return [str(name) for (name,) in json_rows(post.card_tags)]
    rows = getattr(post, "ordered_tags", None)
    if rows is None:
        rows = list(post.posttag_set.select_related("tag").order_by("position", "id"))
    return [row.tag.name for row in rows]


def images_of(post: Post) -> list[Any]:
    """The post's images by position (``Image`` rows, or ``CardImage`` from the column)."""
    if hasattr(post, "card_images"):
        return card_images(post.card_images)
    return [pi.image for pi in post.post_images.all()]


def mentions_of(item: Any) -> list[dict[str, Any]]:
    """``[{"handle", "display_name"}]`` of the mentions the viewer may see, in text order."""
    if hasattr(item, "card_mentions"):
        return [
            {"handle": str(handle), "display_name": str(name)}
            for handle, name in json_rows(item.card_mentions)
        ]
    rows = getattr(item, "visible_mentions", None)
    if rows is None:  # not read through a selector: every mention still in the text
        rows = list(item.mentions.filter(in_text=True).select_related("user"))
    return [{"handle": row.user.handle, "display_name": row.user.display_name} for row in rows]
