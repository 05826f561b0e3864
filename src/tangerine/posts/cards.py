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
relations (a query each) for a post not read through ``selectors.post_qs``.
"""

from __future__ import annotations

import functools
import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connections
from django.db.models import BooleanField, Expression, F, TextField

from tangerine.accounts.auth import Viewer
from tangerine.accounts.models import Block, User
from tangerine.images.models import Image
from tangerine.posts.models import Mention, Post, PostImage, PostTag, Tag

_POST = "{post}"  # where the outer post's id column goes


class _CardColumn(Expression):
    """Raw SQL around a column of the outer row (``outer``, the item's ``id`` by default: a
    source expression, so Django relabels it wherever the query is used), with the viewer's
    parameters."""

    def __init__(
        self, sql: str, params: tuple[Any, ...], outer: str = "id", output_field: Any = None
    ) -> None:
        super().__init__(output_field=output_field or TextField())
        self.sql, self.params, self.post = sql, params, F(outer)

    def get_source_expressions(self) -> list[Any]:
        return [self.post]

    def set_source_expressions(self, exprs: Sequence[Any]) -> None:
        (self.post,) = exprs

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, tuple[Any, ...]]:
        post_sql, post_params = compiler.compile(self.post)
        return self.sql.replace(_POST, post_sql), (*post_params, *self.params)


def _q(name: str) -> str:
    return f'"{name}"'  # both vendors quote identifiers so


def _table(model: type[Any], alias: str) -> str:
    return f"{_q(model._meta.db_table)} {alias}"


def _col(alias: str, model: type[Any], field: str) -> str:
    return f"{alias}.{_q(str(model._meta.get_field(field).column))}"


def _aggregate(vendor: str, fields: dict[str, str], source: str, where: str, order: str) -> str:
    """A subquery: JSON array of one ``[field, ...]`` array per row of ``source`` matching
    ``where``, ordered by ``order``. ``fields`` name -> column (``variants`` is JSON).

    Every piece is built here from quoted model identifiers; values (the viewer) are
    parameters."""
    if vendor == "postgresql":
        row = ", ".join(fields.values())
        select = f"jsonb_agg(jsonb_build_array({row}) ORDER BY {order})"
        return f"(SELECT {select} FROM {source} WHERE {where})"  # noqa: S608 (see above)
    # SQLite: json_group_array keeps the order of an ordered derived table; a JSON column is
    # text there, embedded as JSON with json().
    columns = ", ".join(f"{column} AS {_q(name)}" for name, column in fields.items())
    row = ", ".join(
        f"json(c.{_q(name)})" if name == "variants" else f"c.{_q(name)}" for name in fields
    )
    inner = f"SELECT {columns} FROM {source} WHERE {where} ORDER BY {order}"  # noqa: S608
    return f"(SELECT json_group_array(json_array({row})) FROM ({inner}) c)"  # noqa: S608


@functools.lru_cache(maxsize=4)
def _card_sql(vendor: str) -> dict[str, str]:
    """The tag and image subqueries' SQL for a vendor (mentions: ``_mentions_sql``)."""
    tags = _aggregate(
        vendor,
        {"name": _col("t", Tag, "name")},
        f"{_table(PostTag, 'pt')} INNER JOIN {_table(Tag, 't')} ON "
        f"{_col('t', Tag, 'id')} = {_col('pt', PostTag, 'tag')}",
        f"{_col('pt', PostTag, 'post')} = {_POST}",
        f"{_col('pt', PostTag, 'position')}, {_col('pt', PostTag, 'id')}",
    )
    images = _aggregate(
        vendor,
        {f: _col("i", Image, f) for f in ("uuid", "status", "width", "height", "variants")},
        f"{_table(PostImage, 'pi')} INNER JOIN {_table(Image, 'i')} ON "
        f"{_col('i', Image, 'id')} = {_col('pi', PostImage, 'image')}",
        f"{_col('pi', PostImage, 'post')} = {_POST}",
        f"{_col('pi', PostImage, 'position')}, {_col('pi', PostImage, 'id')}",
    )
    return {"card_tags": tags, "card_images": images}


@functools.lru_cache(maxsize=16)
def _mentions_sql(vendor: str, signed_in: bool, item: str) -> str:
    """The visible mentions of the outer post, comment or reply (``item``: the mention's
    foreign key to it); with ``signed_in`` it takes the viewer's primary key twice (the block
    check both ways)."""
    true = "true" if vendor == "postgresql" else "1"
    visible = (
        f"{_col('m', Mention, item)} = {_POST} AND {_col('m', Mention, 'in_text')} = {true}"
        f" AND {_col('u', User, 'is_active')} = {true}"
        f" AND {_col('u', User, 'suspended_at')} IS NULL"
    )
    if signed_in:
        blocker, blocked, them = (
            _col("b", Block, "blocker"),
            _col("b", Block, "blocked"),
            _col("u", User, "id"),
        )
        visible += (
            f" AND NOT EXISTS (SELECT 1 FROM {_table(Block, 'b')} WHERE ({blocker} = %s AND "  # noqa: S608
            f"{blocked} = {them}) OR ({blocker} = {them} AND {blocked} = %s))"
        )
    return _aggregate(
        vendor,
        {f: _col("u", User, f) for f in ("handle", "display_name")},
        f"{_table(Mention, 'm')} INNER JOIN {_table(User, 'u')} ON "
        f"{_col('u', User, 'id')} = {_col('m', Mention, 'user')}",
        visible,
        f"{_col('m', Mention, 'position')}, {_col('m', Mention, 'id')}",
    )


def card_columns(viewer: Viewer, using: str) -> dict[str, Expression]:
    """``annotate(**card_columns(viewer, qs.db))`` on a query of posts: the card's tags,
    images and visible mentions as JSON text (``tags_of``, ``images_of``, ``mentions_of``)."""
    sql = _card_sql(connections[using].vendor)
    return {
        "card_tags": _CardColumn(sql["card_tags"], ()),
        "card_images": _CardColumn(sql["card_images"], ()),
        **mention_column(viewer, using, "post"),
    }


def mention_column(viewer: Viewer, using: str, item: str) -> dict[str, Expression]:
    """``annotate(**mention_column(viewer, qs.db, "comment"))`` on a query of comments (or
    ``"reply"`` on replies): their visible mentions as ``card_mentions`` (``mentions_of``), the
    rules of ``selectors.mention_prefetch`` in the item's own row."""
    signed_in = viewer is not None and viewer.is_authenticated
    sql = _mentions_sql(connections[using].vendor, signed_in, item)
    params = (viewer.pk, viewer.pk) if signed_in and viewer is not None else ()
    return {"card_mentions": _CardColumn(sql, params)}


def exists_for_viewer(
    model: type[Any], viewer_field: str, outer_field: str, viewer_pk: Any, outer: str
) -> Expression:
    """``EXISTS`` (a boolean, usable in ``filter`` and ``annotate``) of a row of ``model``
    whose ``viewer_field`` is the viewer and ``outer_field`` the outer row's ``outer``: what
    ``Exists(model.objects.filter(viewer_field=viewer, outer_field=OuterRef(outer)))`` says,
    without building and compiling a queryset per request (the viewer's like of a post, a
    mute of its author)."""
    where = f"{_col('x', model, viewer_field)} = %s AND {_col('x', model, outer_field)} = {_POST}"
    sql = f"EXISTS (SELECT 1 FROM {_table(model, 'x')} WHERE {where})"  # noqa: S608
    return _CardColumn(sql, (viewer_pk,), outer, BooleanField())


def _rows(value: Any) -> list[Any]:
    """A JSON column's rows: NULL (PostgreSQL's aggregate of nothing) is none."""
    if value is None:
        return []
    return list(json.loads(value) if isinstance(value, str) else value)


@dataclass(frozen=True, slots=True)
class CardImage:
    """What ``images.serializers.image_ref`` reads of an ``Image``."""

    uuid: uuid.UUID
    status: str
    width: int | None
    height: int | None
    variants: list[dict[str, Any]]


def tags_of(post: Post) -> list[str]:
    """The post's tag names in the author's order."""
    if hasattr(post, "card_tags"):
        return [str(name) for (name,) in _rows(post.card_tags)]
    rows = getattr(post, "ordered_tags", None)
    if rows is None:
        rows = list(post.posttag_set.select_related("tag").order_by("position", "id"))
    return [row.tag.name for row in rows]


def images_of(post: Post) -> list[Any]:
    """The post's images by position (``Image`` rows, or ``CardImage`` from the column)."""
    if hasattr(post, "card_images"):
        return [
            CardImage(uuid.UUID(str(u)), str(status), width, height, _variants(variants))
            for u, status, width, height, variants in _rows(post.card_images)
        ]
    return [pi.image for pi in post.post_images.all()]


def _variants(value: Any) -> list[dict[str, Any]]:
    # An image's variants are a JSON column of their own: nested JSON, or its text.
    return list(json.loads(value) if isinstance(value, str) else value or [])


def mentions_of(item: Any) -> list[dict[str, Any]]:
    """``[{"handle", "display_name"}]`` of the mentions the viewer may see, in text order."""
    if hasattr(item, "card_mentions"):
        return [
            {"handle": str(handle), "display_name": str(name)}
            for handle, name in _rows(item.card_mentions)
        ]
    rows = getattr(item, "visible_mentions", None)
    if rows is None:  # not read through a selector: every mention still in the text
        rows = list(item.mentions.filter(in_text=True).select_related("user"))
    return [{"handle": row.user.handle, "display_name": row.user.display_name} for row in rows]
